// Runs before the page paints. A theme the user saved (light or dark) is rendered by the server as
// data-bs-theme; "auto" follows the operating system, live, until the user picks one.
(function () {
  var root = document.documentElement;
  if ((root.getAttribute('data-theme-setting') || 'auto') !== 'auto') return;
  // A signed-out visitor's choice lives in this browser only; a signed-in user's is in their settings.
  var local = root.hasAttribute('data-signed-in') ? null : localStorage.getItem('finsight.theme');
  var media = window.matchMedia('(prefers-color-scheme: dark)');
  function apply() {
    if (root.getAttribute('data-theme-setting') !== 'auto' && root.hasAttribute('data-theme-setting')) return;
    root.setAttribute('data-bs-theme', local || (media.matches ? 'dark' : 'light'));
    document.dispatchEvent(new CustomEvent('finsight:theme'));
  }
  apply();
  if (media.addEventListener) media.addEventListener('change', function () { if (!local) apply(); });
})();
