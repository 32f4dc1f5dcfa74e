// bvantq: the pledge form of one campaign, inside any web page. Put this where the form goes:
//
//   <div id="bvantq-app" data-campaign="CAMPAIGN-CODE"></div>
//   <script type="module" src="https://YOUR-BVANTQ-SERVER/embed.js"></script>
//
// The form talks to the server this script came from (or to the element's data-api).
const origin = new URL(import.meta.url).origin;
const host = document.getElementById('bvantq-app');
if (host && !host.dataset.api) host.dataset.api = origin;
const css = document.createElement('link');
css.rel = 'stylesheet';
css.href = origin + '{{style.css}}';
document.head.appendChild(css);
const { default: init } = await import(origin + '{{web_form_pledge.js}}');
await init({ module_or_path: origin + '{{web_form_pledge_bg.wasm}}' });
