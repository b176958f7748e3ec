/* The maps of the site (carte/carte-embed.html, carte/crise-embed.html), written by
 * labulle/pages/mapdoc.py with folium. The document shows the map at once; this file then:
 * - reads the address: ?commune=<slug>, ?categorie=<key> (that category or one under it),
 *   ?vue=crise (the crisis statuses), ?vue=comptoirs (the exchange offices), combinable;
 * - fetches the markers' data (carte-donnees.json or crise-donnees.json, written by
 *   labulle/pages/mapdata.py), keeps the matching places and fits the map to them, or says in
 *   the map why nothing is shown (unknown commune, category or view; nothing matches), with a
 *   link to the whole map;
 * - makes the markers, then hands them to the cluster group by small batches, in slices of the
 *   cluster group's chunkInterval (ms), so the page never stops answering for long; one
 *   switchable layer per group in the layers control (the legend);
 * - French controls, search without accents that opens the popup;
 * - opens the map on one pro when the page (or its parent page) has ?pro=<slug> or #pro=<slug>.
 * No library besides Leaflet and its plugins; nothing is fetched but the data, beside the page.
 */
(function () {
  "use strict";

  var state = {};
  var FOCUS_ZOOM = 16;
  var FIT_MAX_ZOOM = 15;  // one pro alone: its street, not its doorstep
  var VIEWS = ["crise", "comptoirs"];
  var BATCH = 10;  // markers handed to the cluster group at once

  // --- Address ---------------------------------------------------------------------------

  function wanted() {
    var params = new URLSearchParams(window.location.search);
    return {
      commune: params.get("commune"),
      categorie: params.get("categorie"),
      vue: params.get("vue")
    };
  }

  /* Whether the page framing this map is one of ours (asking another site's page for its
   * address would log an error): the referrer of a framed page is its parent's address. */
  function framedByUs() {
    if (window.parent === window || !document.referrer) {
      return false;
    }
    try {
      return new URL(document.referrer).origin === window.location.origin;
    } catch (error) {
      return false;
    }
  }

  function wantedSlug() {
    var places = [window.location];
    if (framedByUs()) {
      places.push(window.parent.location);
    }
    for (var i = 0; i < places.length; i += 1) {
      var match = /[?&#]pro=([a-z0-9-]+)/.exec(places[i].search + places[i].hash);
      if (match) {
        return match[1];
      }
    }
    return null;
  }

  // --- Messages in the map -----------------------------------------------------------------

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

  /* Why the map shows no marker, over the map, with a link to the whole map. */
  function message(sentences, whole) {
    var box = L.DomUtil.create("div", "lb-message", state.map.getContainer());
    box.setAttribute("role", "status");
    sentences.forEach(function (sentence) {
      L.DomUtil.create("p", "", box).textContent = sentence;
    });
    var link = L.DomUtil.create("a", "", L.DomUtil.create("p", "", box));
    link.href = whole;
    link.textContent = "Voir toute la carte";
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
  }

  function wholeMap(view) {
    var path = window.location.pathname;
    return view ? path + "?vue=" + encodeURIComponent(view) : path;
  }

  // --- Markers ---------------------------------------------------------------------------

  var icons = {};

  /* A divIcon whose shape and colour come from .lb-k-<key>; one per look, shared. */
  function iconOf(key, props) {
    var stale = props.stale === "oui";
    var num = props.num === "oui";
    var name = key + (stale ? " s" : "") + (num ? " n" : "");
    if (!icons[name]) {
      var html = '<span class="lb-pin lb-k-' + key + (stale ? " lb-stale" : "") +
        '"><b></b></span>' + (num ? '<span class="lb-num"></span>' : "");
      icons[name] = L.divIcon({
        className: "lb-icon", html: html, iconSize: [28, 28], iconAnchor: [14, 14],
        popupAnchor: [0, -12], tooltipAnchor: [14, 0]
      });
    }
    return icons[name];
  }

  function labelIcon(event) {
    var marker = event.target;
    if (marker._icon) {
      marker._icon.setAttribute("aria-label", marker.feature.properties.nom);
    }
  }

  /* The name beside the marker under the pointer, made the first time it is needed. */
  function showName(event) {
    var marker = event.target;
    marker.bindTooltip(marker.feature.properties.titre, {className: "lb-tooltip"}).openTooltip();
  }

  function popupHtml(props) {
    var rows = state.data.popup.map(function (row) {
      var value = props[row[0]];
      return value ? "<tr><th>" + row[1] + "</th><td>" + value + "</td></tr>" : "";
    });
    return "<table>" + rows.join("") + "</table>";
  }

  /* One marker: its properties are the pro's plus the place's (values are HTML-escaped by the
   * build, except `nom`, used as text only). */
  function markerOf(spot) {
    var layer = state.data.layers[spot[2]];
    var props = Object.create(state.data.pros[spot[3]]);  // the pro's values, shared
    props.slug = spot[3];
    props.lieu = spot[5];
    props.jour = spot[6];
    var marker = L.marker([spot[0], spot[1]], {
      icon: iconOf(layer.key, props), keyboard: true, riseOnHover: true
    });
    marker.feature = {type: "Feature", properties: props};
    marker.bindPopup(function () {
      return popupHtml(props);
    }, {className: "lb-popup", maxWidth: 260, autoPanPaddingTopLeft: [10, 130]});
    marker.once("mouseover", showName);
    marker.on("add", labelIcon);
    return marker;
  }

  /* Run `each` on every item, in slices of the cluster's chunkInterval, then `done`. */
  function inSlices(items, each, done) {
    var next = 0;
    var slice = state.cluster.options.chunkInterval;
    function run() {
      var end = performance.now() + slice;
      while (next < items.length && performance.now() < end) {
        each(items[next]);
        next += 1;
      }
      if (next < items.length) {
        setTimeout(run, state.cluster.options.chunkDelay);
      } else {
        done();
      }
    }
    setTimeout(run, 0);  // a task of its own, after what the caller did
  }

  // --- Choosing the places ---------------------------------------------------------------------

  /* What the address asks for, checked against the data: {keep, problems, names}. */
  function chosen(data, asked, view) {
    var problems = [];
    var names = [];
    if (asked.commune !== null) {
      if (data.communes[asked.commune]) {
        names.push(data.communes[asked.commune]);
      } else {
        problems.push("La commune « " + asked.commune + " » n’est pas sur cette carte : " +
                      "aucun pro n’y est inscrit, ou son nom est mal écrit.");
      }
    }
    if (asked.categorie !== null) {
      if (data.categories[asked.categorie]) {
        names.push(data.categories[asked.categorie]);
      } else {
        problems.push("La catégorie « " + asked.categorie + " » n’existe pas.");
      }
    }
    if (view === "comptoirs") {
      names.push("comptoirs de change");
    }
    var comptoirs = data.layers.map(function (layer) {
      return layer.key === state.config.comptoirs;
    });
    function keep(spot) {
      var pro = data.pros[spot[3]];
      return (asked.commune === null || spot[4] === asked.commune) &&
        (asked.categorie === null || pro.cats.indexOf(asked.categorie) !== -1) &&
        (view !== "comptoirs" || comptoirs[spot[2]]);
    }
    return {keep: keep, problems: problems, names: names};
  }

  function boundsOf(spots) {
    return L.latLngBounds(spots.map(function (spot) {
      return [spot[0], spot[1]];
    }));
  }

  function fit(bounds) {
    state.map.fitBounds(bounds, {padding: [24, 24], maxZoom: FIT_MAX_ZOOM, animate: false});
  }

  function retitle(data, names) {
    var title = data.title + (names.length ? " : " + names.join(", ") : "");
    document.title = title;
    state.map.getContainer().setAttribute("aria-label", title);
    state.title.textContent = title;
  }

  /* A sub-group put on the map without handing its markers to the cluster group: they are
   * handed over below, for every layer together, by small batches (the cluster group's own
   * chunked loading looks at the clock every 200 markers only: too long a task on a phone). */
  function onMapAlready(map) {
    this._map = map;
  }

  /* One switchable layer per group that has places, named with its number of pros. */
  function addLayers(data, spots, done) {
    var groups = data.layers.map(function () {
      return {sub: L.featureGroup.subGroup(state.cluster), pros: {}};
    });
    inSlices(spots, function (spot) {
      var group = groups[spot[2]];
      group.sub.addLayer(markerOf(spot));
      group.pros[spot[3]] = true;
    }, function () {
      var markers = [];
      groups.forEach(function (group, i) {
        var count = Object.keys(group.pros).length;
        if (!count) {
          return;
        }
        state.layers.addOverlay(group.sub, '<span class="lb-pin lb-k-' + data.layers[i].key +
          '" aria-hidden="true"><b></b></span> ' + data.layers[i].label + " (" + count + ")");
        group.sub.onAdd = onMapAlready;
        state.map.addLayer(group.sub);
        group.sub.onAdd = group.sub._onAddToGroupBatch;  // the plugin's own, for the switches
        markers = markers.concat(group.sub.getLayers());
      });
      var batches = [];
      for (var i = 0; i < markers.length; i += BATCH) {
        batches.push(markers.slice(i, i + BATCH));
      }
      // While the clusters are built, their icons come and go: out of the layout until the end.
      var pane = state.map.getPane("markerPane");
      pane.style.visibility = "hidden";
      pane.style.display = "none";
      inSlices(batches, function (batch) {
        state.cluster.addLayers(batch);
      }, function () {
        pane.style.display = "";
        pane.style.visibility = "";
        done();
      });
    });
  }

  function show(data, asked, view) {
    state.data = data;
    setUpLegend(state.layers, data.legend);
    var choice = chosen(data, asked, view);
    retitle(data, choice.names);
    if (choice.problems.length) {
      ready();
      message(choice.problems, wholeMap(VIEWS.indexOf(view) !== -1 ? asked.vue : null));
      return;
    }
    var spots = data.spots.filter(choice.keep);
    if (!spots.length) {
      ready();
      message([choice.names.length ? "Aucun pro ne correspond à ce choix (" +
               choice.names.join(", ") + ")." : "Aucun pro n’est sur cette carte pour le moment."],
              wholeMap(asked.vue));
      return;
    }
    var whole = asked.commune === null && asked.categorie === null && view === state.config.view;
    setTimeout(function () {  // a task of its own: the map moves, its tiles follow
      if (!whole || !state.config.bounds) {  // else start() has fitted it already
        fit(boundsOf(spots));
      }
      addLayers(data, spots, function () {
        ready();
        focusFromAddress();
        window.addEventListener("hashchange", focusFromAddress);
      });
    }, 0);
  }

  function ready() {
    state.ready = true;
    state.map.getContainer().setAttribute("data-etat", "prete");
  }

  function load(config) {
    var asked = wanted();
    var view = asked.vue === null ? config.view : asked.vue;
    if (asked.vue !== null && VIEWS.indexOf(view) === -1) {
      ready();
      message(["La vue « " + asked.vue + " » n’existe pas (vues possibles : " +
               VIEWS.join(", ") + ")."], wholeMap(null));
      return;
    }
    var url = config.data[view === "crise" ? "crise" : "carte"];
    if (!url) {
      ready();
      message(["La carte de crise n’est pas publiée en ce moment."], wholeMap(null));
      return;
    }
    fetch(url).then(function (response) {
      if (!response.ok) {
        throw new Error(response.status);
      }
      return response.json();
    }).then(function (data) {
      show(data, asked, view);
    }, function () {
      ready();
      message(["Les pros n’ont pas pu être chargés : vérifiez la connexion, puis rechargez " +
               "la page."], window.location.href);
    });
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

  /* Centre the map on the marker (zoomed in, no animation), spread its cluster if it still
   * shares a spot, and open its popup. */
  function openMarker(marker) {
    var zoom = Math.max(state.map.getZoom(), FOCUS_ZOOM);
    state.map.setView(marker.getLatLng(), zoom, {animate: false});
    whenIdle(function () {
      state.cluster.zoomToShowLayer(marker, function () {
        marker.openPopup();
      });
    });
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
    var sought = fold(text).trim();
    var found = {};
    if (!sought) {
      return found;
    }
    Object.keys(records).sort(function (a, b) {
      return fold(a) < fold(b) ? -1 : 1;
    }).forEach(function (key) {
      if (fold(key).indexOf(sought) !== -1) {
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
  }

  function frenchControls(map, control) {
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
    if (window.innerWidth < 640) {
      control.options.collapsed = true;  // adding the layers later must not open it again
      control.collapse();
      map.on("click", control.collapse, control);
    }
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
    return title;
  }

  function start(parts, config) {
    state = parts;
    state.config = config;
    state.title = landmarks(parts.map);
    frenchControls(parts.map, parts.layers);
    if (parts.search) {
      setUpSearch(parts.search);
    }
    if (config.bounds) {  // the whole view's places, known when the document was written
      fit(config.bounds);
    }
    load(config);
  }

  window.laBulle = {
    start: start,
    openMarker: openMarker,
    markersOf: markersOf,
    state: function () {
      return state;
    }
  };
}());
