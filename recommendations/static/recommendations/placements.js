/* Reports clicks on placement cards with navigator.sendBeacon; the links work the same without it.
   Each click sends back the signed impression token served with the list: the server counts a
   click only for a product of a list it showed this visitor, once. */
(function () {
  "use strict";
  if (window.recPlacementsListening || !navigator.sendBeacon) {
    return;
  }
  window.recPlacementsListening = true;

  function report(event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    var card = link && link.closest("[data-product-id]");
    var widget = card && card.closest("[data-rec-click-url]");
    if (!widget) {
      return;
    }
    var body = new FormData();
    body.append("product", card.getAttribute("data-product-id"));
    body.append("impression", widget.getAttribute("data-rec-impression") || "");
    // Only signed-in shoppers need it; the API checks it as a form would be checked.
    body.append("csrfmiddlewaretoken", widget.getAttribute("data-rec-csrf") || "");
    navigator.sendBeacon(widget.getAttribute("data-rec-click-url"), body);
  }

  document.addEventListener("click", report);
  // A middle click opens the link in a new tab without a "click" event.
  document.addEventListener("auxclick", function (event) {
    if (event.button === 1) {
      report(event);
    }
  });
})();
