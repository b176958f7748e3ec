// The pilot sign-up form (<digital_slug>/inscription/), on top of a form that works alone:
// - French validation messages, whatever the browser's language (data-msg-* attributes);
// - the "pro" list shown only when "Professionnel" is chosen (always shown without JS);
// - a filled hidden field (honeypot) means a bot: nothing is sent;
// - without an endpoint (data-mode="mailto"), composes the email as "clé : valeur" lines.
(function () {
  "use strict";
  var form = document.getElementById("inscription");
  if (!form) { return; }
  var status = document.getElementById("signup-status");
  var proBlock = document.getElementById("signup-pro");
  var proSelect = document.getElementById("pro");
  var FIELDS = (form.getAttribute("data-fields") || "").split(" ");
  var GENERIC = {
    valueMissing: "Ce champ est obligatoire.",
    typeMismatch: "Cette valeur n’est pas valide.",
    patternMismatch: "Cette valeur n’est pas au bon format.",
    tooLong: "Ce texte est trop long."
  };

  function frenchMessage(field) {
    var v = field.validity;
    if (v.valueMissing) {
      var first = form.querySelector('[name="' + field.name + '"][data-msg-missing]');
      return (first || field).getAttribute("data-msg-missing") || GENERIC.valueMissing;
    }
    if (v.typeMismatch) { return field.getAttribute("data-msg-type") || GENERIC.typeMismatch; }
    if (v.patternMismatch) { return field.getAttribute("data-msg-pattern") || GENERIC.patternMismatch; }
    if (v.tooLong) { return GENERIC.tooLong; }
    return "";
  }

  function refresh(field) {
    field.setCustomValidity("");
    if (!field.checkValidity()) { field.setCustomValidity(frenchMessage(field)); }
  }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.willValidate;
    });
  }

  function refreshAll() { fields().forEach(refresh); }

  function kind() {
    var checked = form.querySelector('input[name="type"]:checked');
    return checked ? checked.value : "";
  }

  function showPro() {
    var isPro = kind() === "pro";
    proBlock.hidden = !isPro;
    proSelect.required = isPro;
    if (!isPro) { proSelect.value = ""; }
  }

  function value(name) {
    if (name === "type") { return kind(); }
    var el = form.elements[name];
    if (!el) { return ""; }
    if (el.type === "checkbox") { return el.checked ? "oui" : "non"; }
    return (el.value || "").replace(/[\r\n]+/g, " ").trim();
  }

  function emailBody() {
    return FIELDS.map(function (name) { return name + " : " + value(name); }).join("\n") + "\n";
  }

  function mailtoUrl() {
    var address = form.getAttribute("data-email");
    var subject = form.getAttribute("data-subject");
    return "mailto:" + address + "?subject=" + encodeURIComponent(subject) +
      "&body=" + encodeURIComponent(emailBody().replace(/\n/g, "\r\n"));
  }

  function say(html) { status.innerHTML = html; }

  form.addEventListener("input", function (event) { if (event.target.name) { refresh(event.target); } });
  form.addEventListener("change", function (event) {
    if (event.target.name === "type") { showPro(); }
    refreshAll();
  });
  form.addEventListener("invalid", function (event) { refresh(event.target); }, true);

  form.addEventListener("submit", function (event) {
    refreshAll();
    if (!form.checkValidity()) {
      event.preventDefault();
      form.reportValidity();
      return;
    }
    var trap = form.elements[form.getAttribute("data-honeypot")];
    if (trap && trap.value) {   // a bot: pretend, send nothing
      event.preventDefault();
      say("Merci, votre inscription a bien été prise en compte.");
      return;
    }
    if (form.getAttribute("data-mode") !== "mailto") { return; }  // normal POST to the endpoint
    event.preventDefault();
    var url = mailtoUrl();
    var link = document.createElement("a");
    link.href = url;
    link.textContent = "ouvrir le message";
    say("Votre logiciel de messagerie va s’ouvrir avec votre inscription : il ne reste qu’à " +
        "l’envoyer. S’il ne s’ouvre pas, ");
    status.appendChild(link);
    status.appendChild(document.createTextNode(" ou recopiez le texte ci-dessous dans un courriel."));
    var copy = document.getElementById("signup-copy");
    if (copy) { copy.textContent = emailBody(); }
    window.location.href = url;
  });

  showPro();
}());
