/* "Ouverts pendant la crise": live filters kept in the query string, and "open now" badges.
 *
 * The page works without this script (the whole list, sections per category). With it:
 * - the filter form appears; each change filters the list, updates the count (aria-live) and
 *   the URL (?categorie=...&livraison=1), so a filtered view can be shared and reloaded;
 * - each entry's open intervals (data-ouvertures: [[start, end], ...] in UTC epoch seconds,
 *   computed at build time for 14 days) give "Ouvert maintenant · ferme à 19 h" or
 *   "Fermé · ouvre demain à 9 h", in Paris time. Past the computed window (site not rebuilt)
 *   the badge is hidden rather than wrong.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-filtres]");
  var list = document.querySelector("[data-liste]");
  if (!form || !list) {
    return;
  }
  var entries = Array.prototype.slice.call(list.querySelectorAll(".fiche"));
  var sections = Array.prototype.slice.call(list.querySelectorAll("[data-section]"));
  var count = document.querySelector("[data-compte]");
  var empty = document.querySelector("[data-vide]");
  var windowEnd = Number(list.getAttribute("data-fin")) * 1000;
  var FLAGS = ["livraison", "retrait", "paniers", "numerique"];
  var FIELDS = ["categorie", "commune", "maintenant"].concat(FLAGS);

  /* --- Time, in Paris, said the French way ---------------------------------------------- */

  var parisFormat = new Intl.DateTimeFormat("fr-FR", {
    timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit",
    weekday: "long", hour: "2-digit", minute: "2-digit", hourCycle: "h23"
  });

  function paris(ms) {
    var out = {};
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

  function whenText(ms, now) {
    var p = paris(ms);
    var at = timeText(p);
    if (sameDay(p, paris(now))) {
      return "à " + at;
    }
    if (sameDay(p, paris(now + 86400000))) {
      return "demain à " + at;
    }
    return p.weekday + " à " + at;
  }

  /* --- Open now -------------------------------------------------------------------------- */

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
  function openState(entry, now) {
    var spans = intervals(entry);
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

  function showBadge(entry, state, now) {
    var badge = entry.querySelector("[data-maintenant]");
    if (!badge) {
      return;
    }
    if (!state) {
      badge.hidden = true;
      badge.textContent = "";
      return;
    }
    var text;
    if (state.open) {
      text = "Ouvert maintenant" + (state.at ? " · ferme " + whenText(state.at, now) : "");
    } else {
      text = "Fermé" + (state.at ? " · ouvre " + whenText(state.at, now) : " en ce moment");
    }
    badge.textContent = text;
    badge.className = "maintenant maintenant--" + (state.open ? "ouvert" : "ferme");
    badge.hidden = false;
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

  function apply(state) {
    var now = Date.now();
    var shown = 0;
    entries.forEach(function (entry) {
      var open = openState(entry, now);
      showBadge(entry, open, now);
      entry.hidden = !matches(entry, state, open);
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
    if (count && count.textContent !== text) {
      count.textContent = text;
    }
  }

  function remember(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) {
      if (state[name]) {
        params.set(name, state[name]);
      }
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function update() {
    var state = readForm();
    remember(state);
    apply(state);
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
      update();
    });
  });

  form.hidden = false;
  var applyButton = form.querySelector("[data-appliquer]");
  if (applyButton) {
    applyButton.hidden = true; /* filters apply as soon as they change */
  }
  writeForm(new URLSearchParams(location.search));
  apply(readForm());
  /* Keep the badges (and the "open now" filter) right while the page stays open. */
  setInterval(function () { apply(readForm()); }, 60000);
}());
