// Leaflet pages: the Print button. It lives in this file, not inline, because the site
// may be served with a Content-Security-Policy that forbids inline script. The button
// starts hidden so a reader without JavaScript never sees a button that does nothing.
document.addEventListener('DOMContentLoaded', function () {
  var buttons = document.querySelectorAll('[data-print]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function () { window.print(); });
  }
});
