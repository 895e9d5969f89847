// Runs before the app's code and before the first paint (a classic script in <head>): applies
// the theme saved last time (lib/themeCache.ts writes it), so a person who chose the light
// theme on a dark system sees no dark flash while the app starts. Plain script, no imports.
/* global window, document */
(function () {
  try {
    var theme = window.localStorage.getItem('renderio.theme');
    if (theme === 'light' || theme === 'dark') {
      document.documentElement.dataset.theme = theme;
      document.documentElement.style.colorScheme = theme;
    }
  } catch {
    /* storage unavailable: follow the system until the app applies the saved theme */
  }
})();
