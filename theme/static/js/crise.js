/* "Ouverts pendant la crise": live filters kept in the query string, and "open now" badges.
 *
 * The page works without this script (the whole list, sections per category; or, for a long
 * list, links to short static lists by category, commune and service). With it:
 * - the filter form appears; each change filters the list, updates the count (aria-live) and
 *   the URL (?categorie=...&livraison=1), so a filtered view can be shared and reloaded;
 * - a long list (the page has data-chemin; its options say their list's path, data-url, and
 *   which services have a page there, data-services): a change goes to the narrowest static
 *   list (commune, else category, else everyone; then its first service) and the rest of the
 *   filters (open now, a second service, a category within a commune) act on that page's rows,
 *   a few dozen at most; the query string keeps only those;
 * - each entry's open intervals (data-ouvertures: [[start, end], ...] in UTC epoch seconds,
 *   computed at build time for 14 days) give "Ouvert maintenant · ferme à 19 h" or
 *   "Fermé · ouvre demain à 9 h", in Paris time. Past the computed window (site not rebuilt)
 *   the badge is hidden rather than wrong.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-filtres]");
  var list = document.querySelector("[data-liste]");
  var page = document.querySelector("[data-chemin]");
  var root = form && form.getAttribute("data-racine");
  if (!form || !(list || (page && root))) {
    return;
  }
  var entries = list ? Array.prototype.slice.call(list.querySelectorAll(".fiche")) : [];
  var sections = list ? Array.prototype.slice.call(list.querySelectorAll("[data-section]")) : [];
  var count = document.querySelector("[data-compte]");
  var empty = document.querySelector("[data-vide]");
  var windowEnd = list ? Number(list.getAttribute("data-fin")) * 1000 : 0;
  var FLAGS = ["livraison", "retrait", "paniers", "numerique"];
  var FIELDS = ["categorie", "commune", "maintenant"].concat(FLAGS);

  /* --- Time, in Paris, said the French way ---------------------------------------------- */

  var parisFormat = null; /* made on first use: a page without hours never pays for it */

  function paris(ms) {
    var out = {};
    parisFormat = parisFormat || new Intl.DateTimeFormat("fr-FR", {
      timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit",
      weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    });
    parisFormat.formatToParts(new Date(ms)).forEach(function (part) {
      out[part.type] = part.value;
    });
    return out;
  }

  function sameDay(a, b) {
    return a.year === b.year && a.month === b.month && a.day === b.day;
  }

  function timeText(p) {
    var hour = parseInt(p.hour, 10);
    if (hour === 0 && p.minute === "00") {
      return "minuit";
    }
    return p.minute === "00" ? hour + " h" : hour + " h " + p.minute;
  }

  /* `days`: today and tomorrow in Paris, worked out once per pass over the rows. */
  function whenText(ms, days) {
    var p = paris(ms);
    var at = timeText(p);
    if (sameDay(p, days[0])) {
      return "à " + at;
    }
    if (sameDay(p, days[1])) {
      return "demain à " + at;
    }
    return p.weekday + " à " + at;
  }

  /* --- Open now -------------------------------------------------------------------------- */

  var spansMemo = [];

  function spansOf(index) {
    if (!spansMemo[index]) {
      spansMemo[index] = intervals(entries[index]);
    }
    return spansMemo[index];
  }

  function intervals(entry) {
    var merged = [];
    JSON.parse(entry.getAttribute("data-ouvertures") || "[]").forEach(function (pair) {
      var last = merged[merged.length - 1];
      if (last && pair[0] <= last[1]) {
        last[1] = Math.max(last[1], pair[1]);
      } else {
        merged.push([pair[0], pair[1]]);
      }
    });
    return merged.map(function (pair) { return [pair[0] * 1000, pair[1] * 1000]; });
  }

  /* null: nothing trustworthy to say; otherwise {open, at} where `at` may be null. */
  function openState(spans, now) {
    if (!spans.length || !(now < windowEnd)) {
      return null;
    }
    for (var i = 0; i < spans.length; i += 1) {
      if (spans[i][0] <= now && now < spans[i][1]) {
        return { open: true, at: spans[i][1] < windowEnd ? spans[i][1] : null };
      }
      if (spans[i][0] > now) {
        return { open: false, at: spans[i][0] };
      }
    }
    return { open: false, at: null };
  }

  function showBadge(entry, state, days) {
    var badge = entry.querySelector("[data-maintenant]");
    if (!badge) {
      return;
    }
    if (!state) {
      if (!badge.hidden) {
        badge.hidden = true;
        badge.textContent = "";
      }
      return;
    }
    var text;
    if (state.open) {
      text = "Ouvert maintenant" + (state.at ? " · ferme " + whenText(state.at, days) : "");
    } else {
      text = "Fermé" + (state.at ? " · ouvre " + whenText(state.at, days) : " en ce moment");
    }
    if (badge.hidden || badge.textContent !== text) { /* touch the page only for a change */
      badge.textContent = text;
      badge.className = "maintenant maintenant--" + (state.open ? "ouvert" : "ferme");
      badge.hidden = false;
    }
  }

  /* --- Filters and the query string ------------------------------------------------------- */

  function readForm() {
    var state = {};
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (field.type === "checkbox") {
        state[name] = field.checked ? "1" : "";
      } else {
        state[name] = field.value;
      }
    });
    return state;
  }

  function writeForm(params) {
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      var value = params.get(name) || "";
      if (field.type === "checkbox") {
        field.checked = value === "1";
      } else {
        var known = Array.prototype.some.call(field.options, function (option) {
          return option.value === value;
        });
        field.value = known ? value : "";
      }
    });
  }

  function matches(entry, state, open) {
    if (state.categorie && entry.getAttribute("data-categories").split(" ").indexOf(state.categorie) < 0) {
      return false;
    }
    if (state.commune && entry.getAttribute("data-communes").split("|").indexOf(state.commune) < 0) {
      return false;
    }
    if (state.maintenant && !(open && open.open)) {
      return false;
    }
    return FLAGS.every(function (flag) {
      return !state[flag] || entry.getAttribute("data-" + flag) === "1";
    });
  }

  function countText(shown) {
    if (shown === 0) {
      return "Aucun pro ne correspond à ces critères";
    }
    return shown + (shown === 1 ? " pro dans la liste" : " pros dans la liste");
  }

  /* --- A long list: the static list pages ---------------------------------------------- */

  var split = Boolean(page && root);
  var here = split ? page.getAttribute("data-chemin") : "";
  var everyone = form.getAttribute("data-url") || "";
  var pager = document.querySelector(".crise-pages");
  var serverCount = count ? count.textContent : "";

  function chosen(name) {
    var field = form.elements[name];
    return field.value ? field.options[field.selectedIndex] : null;
  }

  /* The list page that shows `state` best: {path, used: the fields its path already says}. */
  function destination(state) {
    var used = [];
    var scope = null;
    if (state.commune) {
      scope = chosen("commune");
      used.push("commune");
    } else if (state.categorie) {
      scope = chosen("categorie");
      used.push("categorie");
    }
    var path = scope ? scope.getAttribute("data-url") : "";
    var services = ((scope || form).getAttribute("data-services") || "").split(" ");
    var service = FLAGS.filter(function (flag) {
      return state[flag] && services.indexOf(flag) >= 0;
    })[0];
    var more = FIELDS.some(function (name) {
      return state[name] && used.indexOf(name) < 0 && name !== service;
    });
    if (!path && (service || more || (everyone && here.indexOf(everyone) === 0))) {
      path = everyone;
    }
    if (service) {
      path += service + "/";
      used.push(service);
    }
    return { path: path, used: used };
  }

  /* What the page's own path says (commune/cognac/livraison/ → commune=Cognac, livraison=1). */
  function pageParams() {
    var params = new URLSearchParams();
    ["commune", "categorie"].forEach(function (name) {
      Array.prototype.forEach.call(form.elements[name].options, function (option) {
        var url = option.getAttribute("data-url");
        if (url && here.indexOf(url) === 0 && !params.get(name)) {
          params.set(name, option.value);
        }
      });
    });
    var last = here.split("/").filter(Boolean).pop();
    if (FLAGS.indexOf(last) >= 0) {
      params.set(last, "1");
    }
    return params;
  }

  function queryOf(state, used) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) {
      if (state[name] && used.indexOf(name) < 0) {
        params.set(name, state[name]);
      }
    });
    var query = params.toString();
    return query ? "?" + query : "";
  }

  /* --- Filtering the rows ----------------------------------------------------------------- */

  function apply(state, used) {
    var now = Date.now();
    var shown = 0;
    var rows = {}; /* what the page's path says is true of every row already */
    FIELDS.forEach(function (name) {
      rows[name] = used.indexOf(name) < 0 ? state[name] : "";
    });
    var days = []; /* today and tomorrow in Paris, on first need */
    entries.forEach(function (entry, index) {
      var open = openState(spansOf(index), now);
      if (open && open.at && !days.length) {
        days.push(paris(now), paris(now + 86400000));
      }
      showBadge(entry, open, days);
      var hidden = !matches(entry, rows, open);
      if (entry.hidden !== hidden) {
        entry.hidden = hidden;
      }
      shown += entry.hidden ? 0 : 1;
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector(".fiche:not([hidden])");
      var link = document.querySelector('.crise-sommaire a[href="#' + section.id + '"]');
      if (link) {
        link.parentNode.hidden = section.hidden;
      }
    });
    if (empty) {
      empty.hidden = shown > 0;
    }
    var text = countText(shown);
    if (split && !queryOf(state, used)) {
      text = serverCount; /* nothing filtered on this page: "N pros dans la liste · page 2 sur 4" */
    } else if (split && pager && shown) {
      text += " sur cette page";
    }
    if (count && count.textContent !== text) {
      count.textContent = text;
    }
  }

  function remember(state, used) {
    var query = queryOf(state, used);
    history.replaceState(null, "", location.pathname + query + location.hash);
    Array.prototype.forEach.call(document.querySelectorAll("[data-page]"), function (link) {
      link.href = link.href.split("?")[0] + query; /* the other pages keep the filters */
    });
  }

  /* Go to the list page of `state` (true), or filter this page's rows (false). */
  function show(state, how) {
    var target = split ? destination(state) : { path: here, used: [] };
    if (target.path !== here) {
      location[how](root + target.path + queryOf(state, target.used));
      return true;
    }
    remember(state, target.used);
    apply(state, target.used);
    return false;
  }

  function update() {
    show(readForm(), "assign");
  }

  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-effacer]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      form.reset();
      if (split) {
        location.assign(root);
      } else {
        update();
      }
    });
  });

  var params = split ? pageParams() : new URLSearchParams();
  new URLSearchParams(location.search).forEach(function (value, name) {
    params.set(name, value);
  });
  writeForm(params);
  if (show(readForm(), "replace")) {
    return; /* a shared link with filters: its list page opens instead */
  }
  form.hidden = false; /* already shown by the stylesheet: no layout shift */
  var applyButton = form.querySelector("[data-appliquer]");
  if (applyButton) {
    applyButton.hidden = true; /* filters apply as soon as they change */
  }
  /* Keep the badges (and the "open now" filter) right while the page stays open. */
  if (entries.length) {
    setInterval(function () {
      var state = readForm();
      apply(state, split ? destination(state).used : []);
    }, 60000);
  }
}());
