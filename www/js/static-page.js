// www/js/static-page.js — the script of a page that has text and nothing
// else to do (privacy-notice.html): translations only, from i18n/{lang}.json
// and the bundles the page names in <meta name="i18n-bundles">.

import { init } from './i18n.js';

init();
