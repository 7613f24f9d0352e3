// Runs before the page paints, so a dark theme never flashes light first.
(function () {
  var root = document.documentElement;
  // A theme saved on the Settings page wins; the Theme button's choice only stands in for "automatic".
  var setting = root.getAttribute('data-theme-setting') || 'auto';
  var chosen = setting !== 'auto' ? setting : (localStorage.getItem('finsight.theme') || 'auto');
  var dark = chosen === 'dark' || (chosen === 'auto' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  root.setAttribute('data-bs-theme', dark ? 'dark' : 'light');
})();
