/* The maps of the site (carte/carte-embed.html, carte/crise-embed.html), written by
 * labulle/pages/mapdoc.py with folium. This file:
 * - draws the markers (laBulle.pin(key) is each GeoJson layer's pointToLayer);
 * - finishes the controls once the map exists (laBulle.start): French texts, legend in the
 *   layers control (collapsed on narrow screens), search without accents that opens the popup;
 * - opens the map on one pro when the page (or its parent page) has ?pro=<slug> or #pro=<slug>.
 * No library besides Leaflet and its plugins; nothing is fetched.
 */
(function () {
  "use strict";

  var state = {};
  var FOCUS_ZOOM = 16;

  // --- Markers ---------------------------------------------------------------------------

  function labelIcon(event) {
    var marker = event.target;
    if (marker._icon && marker.feature) {
      marker._icon.setAttribute("aria-label", marker.feature.properties.nom);
    }
  }

  /* pointToLayer of one layer: a divIcon whose shape and colour come from .lb-k-<key>. */
  function pin(key) {
    return function (feature, latlng) {
      var props = feature.properties;
      var html = '<span class="lb-pin lb-k-' + key + (props.stale === "oui" ? " lb-stale" : "") +
        '"><b></b></span>';
      if (props.num === "oui") {
        html += '<span class="lb-num"></span>';
      }
      var marker = L.marker(latlng, {
        icon: L.divIcon({
          className: "lb-icon", html: html, iconSize: [28, 28], iconAnchor: [14, 14],
          popupAnchor: [0, -12], tooltipAnchor: [14, 0]
        }),
        keyboard: true,
        riseOnHover: true
      });
      marker.on("add", labelIcon);
      return marker;
    };
  }

  // --- Opening one pro -----------------------------------------------------------------------

  function markersOf(slug) {
    var found = [];
    state.cluster.eachLayer(function (layer) {
      if (layer.feature && layer.feature.properties.slug === slug) {
        found.push(layer);
      }
    });
    return found;
  }

  /* Run `next` once the cluster group has finished animating its clusters. */
  function whenIdle(next) {
    if (state.cluster._inZoomAnimation) {
      state.cluster.once("animationend", function () {
        whenIdle(next);
      });
    } else {
      next();
    }
  }

  /* The popup is bound on the marker's GeoJson layer: open that one on this marker. */
  function openPopupOf(marker) {
    var popup = null;
    var parents = marker._eventParents || {};
    Object.keys(parents).forEach(function (id) {
      if (!popup && parents[id]._popup) {
        popup = parents[id]._popup;
      }
    });
    if (popup) {
      popup._source = marker;
      popup.setLatLng(marker.getLatLng()).openOn(state.map);
    }
  }

  /* Centre the map on the marker (zoomed in, no animation), spread its cluster if it still
   * shares a spot, and open its popup. */
  function openMarker(marker) {
    var zoom = Math.max(state.map.getZoom(), FOCUS_ZOOM);
    state.map.setView(marker.getLatLng(), zoom, {animate: false});
    whenIdle(function () {
      state.cluster.zoomToShowLayer(marker, function () {
        openPopupOf(marker);
      });
    });
  }

  function wantedSlug() {
    var places = [window.location];
    try {
      if (window.parent !== window) {
        places.push(window.parent.location);
      }
    } catch (error) {
      // another site embeds the map: only our own address counts
    }
    for (var i = 0; i < places.length; i += 1) {
      var match = /[?&#]pro=([a-z0-9-]+)/.exec(places[i].search + places[i].hash);
      if (match) {
        return match[1];
      }
    }
    return null;
  }

  function notice(text) {
    var control = L.control({position: "bottomleft"});
    control.onAdd = function () {
      var box = L.DomUtil.create("p", "lb-notice");
      box.setAttribute("role", "status");
      box.textContent = text;
      return box;
    };
    control.addTo(state.map);
  }

  function focusFromAddress() {
    var slug = wantedSlug();
    if (!slug) {
      return;
    }
    var markers = markersOf(slug);
    if (markers.length) {
      openMarker(markers[0]);
    } else {
      notice("Ce pro n’a pas d’adresse sur la carte : voyez sa fiche dans l’annuaire.");
    }
  }

  // --- Search ------------------------------------------------------------------------------

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function filterData(text, records) {
    var wanted = fold(text).trim();
    var found = {};
    if (!wanted) {
      return found;
    }
    Object.keys(records).sort(function (a, b) {
      return fold(a) < fold(b) ? -1 : 1;
    }).forEach(function (key) {
      if (fold(key).indexOf(wanted) !== -1) {
        found[key] = records[key];
      }
    });
    return found;
  }

  function buildTip(text) {
    var item = L.DomUtil.create("li", "");
    item.textContent = text;
    return item;
  }

  function setUpSearch(search) {
    search._filterData = filterData;
    search._moveToLocation = function () {};  // openMarker moves the map
    search._markerSearch = null;  // the open popup shows the place
    search.options.buildTip = buildTip;
    search.options.textErr = "Aucun pro de ce nom sur la carte";
    var input = search._input;
    input.removeAttribute("role");  // not allowed on an input: the control is the search landmark
    search._container.setAttribute("role", "search");
    input.setAttribute("aria-label", "Chercher un pro par son nom");
    var label = search._container.querySelector("label");
    if (label) {
      label.textContent = "Chercher un pro par son nom";
      label.className = "lb-hidden";
    }
    input.setAttribute("autocomplete", "off");
    search._button.setAttribute("aria-label", "Chercher");
    search._button.title = "Chercher";
    search._cancel.title = "Effacer";
    search._cancel.setAttribute("aria-label", "Effacer");
    search.on("search:locationfound", function (event) {
      if (event.layer) {
        openMarker(event.layer);
      }
    });
  }

  // --- Controls --------------------------------------------------------------------------------

  function setUpLegend(control, legend) {
    var list = control.getContainer().querySelector(".leaflet-control-layers-list");
    var title = L.DomUtil.create("p", "lb-legend-title");
    title.textContent = legend.title;
    list.insertBefore(title, list.firstChild);
    legend.notes.forEach(function (note) {
      var line = L.DomUtil.create("p", "lb-legend-note", list);
      var sample = L.DomUtil.create("span", note[0], line);
      sample.setAttribute("aria-hidden", "true");
      if (/lb-pin/.test(note[0])) {
        L.DomUtil.create("b", "", sample);
      }
      line.appendChild(document.createTextNode(" " + note[1]));
    });
    var toggle = control._layersLink;
    if (toggle) {
      toggle.title = legend.title + " et légende";
      toggle.setAttribute("aria-label", toggle.title);
    }
    if (window.innerWidth < 640) {
      control.collapse();
      state.map.on("click", control.collapse, control);
    }
  }

  function frenchControls(map) {
    if (map.zoomControl) {
      [["_zoomInButton", "Zoomer"], ["_zoomOutButton", "Dézoomer"]].forEach(function (pair) {
        var button = map.zoomControl[pair[0]];
        button.title = pair[1];
        button.setAttribute("aria-label", pair[1]);
      });
    }
    map.on("popupopen", function (event) {
      var close = event.popup._closeButton;
      if (close) {
        close.setAttribute("aria-label", "Fermer");
        close.title = "Fermer";
      }
    });
  }

  /* The embed document as a page of its own: a title and the map as its main landmark. */
  function landmarks(map) {
    var container = map.getContainer();
    container.setAttribute("role", "main");
    container.setAttribute("aria-label", document.title);
    var title = document.createElement("h1");
    title.className = "lb-hidden";
    title.textContent = document.title;
    container.insertBefore(title, container.firstChild);
  }

  function start(parts, config) {
    state = parts;
    landmarks(parts.map);
    frenchControls(parts.map);
    setUpLegend(parts.layers, config.legend);
    if (parts.search) {
      setUpSearch(parts.search);
    }
    if (config.bounds) {
      parts.map.fitBounds(config.bounds, {padding: [24, 24], maxZoom: 14, animate: false});
    }
    focusFromAddress();
    window.addEventListener("hashchange", focusFromAddress);
  }

  window.laBulle = {
    pin: pin,
    start: start,
    openMarker: openMarker,
    markersOf: markersOf,
    state: function () {
      return state;
    }
  };
}());
