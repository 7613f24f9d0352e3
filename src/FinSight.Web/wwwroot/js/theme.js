// Runs before the page paints, so a dark theme never flashes light first.
(function () {
  var root = document.documentElement;
  var chosen = localStorage.getItem('finsight.theme') || root.getAttribute('data-theme-setting') || 'auto';
  var dark = chosen === 'dark' || (chosen === 'auto' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  root.setAttribute('data-bs-theme', dark ? 'dark' : 'light');
})();
