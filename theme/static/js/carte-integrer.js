/* /carte/integrer/ (theme/templates/carte_integrer.html): shows the choices, and at each
 * choice updates the preview (the iframe itself) and the code to copy. The code's pattern, the
 * titles and the texts of the list link come from the page (labulle/pages/mapembed.py).
 * Without this file the page still gives the code of the whole map and of each commune. */
(function () {
  "use strict";

  var form = document.getElementById("integrer");
  if (!form) {
    return;
  }
  var code = document.getElementById("integrer-code");
  var preview = document.getElementById("integrer-apercu");
  var button = document.getElementById("integrer-copier");
  var status = document.getElementById("integrer-copie");
  var titles = JSON.parse(form.getAttribute("data-titres"));
  var texts = JSON.parse(form.getAttribute("data-textes"));
  var base = form.getAttribute("data-base") || new URL("/", window.location.href).href;

  function escape(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;")
      .replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  function picked(name) {
    var select = form.elements[name];
    var option = select.options[select.selectedIndex];
    return {
      value: option.value, name: option.getAttribute("data-nom"),
      list: base + option.getAttribute("data-liste")
    };
  }

  /* The list for those who cannot use a map: the crisis page, else the commune's page, else
   * the category's, else the exchange offices' or the directory. */
  function listOf(commune, category, view) {
    if (view.value === "crise") {
      return [view.list, texts.crise];
    }
    if (commune.value) {
      return [commune.list, texts.commune.replace("{nom}", commune.name)];
    }
    if (category.value) {
      return [category.list, texts.categorie.replace("{nom}", category.name)];
    }
    return [view.list, texts[view.value || "tout"]];
  }

  function update() {
    var commune = picked("commune");
    var category = picked("categorie");
    var view = picked("vue");
    var params = new URLSearchParams();
    var names = [];
    if (commune.value) {
      params.set("commune", commune.value);
      names.push(commune.name);
    }
    if (category.value) {
      params.set("categorie", category.value);
      names.push(category.name);
    }
    if (view.value) {
      params.set("vue", view.value);
    }
    if (view.value === "comptoirs") {
      names.push("comptoirs de change");
    }
    var query = params.toString();
    var src = base + form.getAttribute("data-src") + (query ? "?" + query : "");
    var title = titles[view.value] + (names.length ? " : " + names.join(", ") : "");
    var list = listOf(commune, category, view);
    code.value = form.getAttribute("data-modele")
      .replace("{src}", escape(src)).replace("{titre}", escape(title))
      .replace("{liste}", escape(list[0])).replace("{texte}", escape(list[1]));
    if (preview.getAttribute("src") !== src) {
      /* A lazy iframe whose src changes twice before it loads can stay on the first change
       * in Chromium: once the town hall chooses, the preview is wanted now. */
      preview.removeAttribute("loading");
      preview.setAttribute("src", src);
    }
    preview.title = "Aperçu : " + title;
    status.textContent = "";
  }

  function copied() {
    status.textContent = "Code copié : collez-le dans votre page.";
  }

  function copy() {
    code.focus();
    code.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(code.value).then(copied, function () {
        status.textContent = "Le code est sélectionné : copiez-le avec Ctrl+C (⌘+C sur Mac).";
      });
    } else {
      status.textContent = "Le code est sélectionné : copiez-le avec Ctrl+C (⌘+C sur Mac).";
    }
  }

  form.hidden = false;
  button.hidden = false;
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
  });
  button.addEventListener("click", copy);
  update();
}());
