// Leaflet pages: Print buttons, one per layout. It lives in this file, not inline,
// because the site may be served with a Content-Security-Policy that forbids inline
// script. The buttons start hidden so a reader without JavaScript never sees a button
// that does nothing; without JavaScript the browser's own Print prints the layout
// shown, as the CSS chooses it (the address's #layout, or the page's default).
document.addEventListener('DOMContentLoaded', function () {
  var buttons = document.querySelectorAll('[data-print]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function () { window.print(); });
  }
});
