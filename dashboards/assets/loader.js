/* Monitor Wet inburgering 2021: when plotly.js is evaluated, and how the charts of a page are drawn.
 *
 * Evaluating plotly-basic.min.js takes about a quarter of a second, so it is not one of the page's
 * parser-blocking scripts. dashboards/app.py (start_scripts) writes this config into the page:
 *   <script id="monitor-loader" type="application/json">{"plotly": URL or null, "early": true|false}</script>
 *   plotly: URL of assets/plotly-basic.min.js; null when that file is absent: dcc.Graph then loads Dash's
 *           full bundle as it normally would, and nothing here applies;
 *   early:  the page draws charts (the file is also preloaded): plotly is evaluated as soon as Dash asks
 *           the server for the page (the page-routing callback), while the browser would otherwise wait.
 * A page without charts (Definities, Rapportage) does not evaluate plotly at all, until a chart page is
 * opened from it.
 *
 * Guarantees:
 * - dcc.Graph never loads the full 4.8 MB bundle: window._dashPlotlyJSURL, which dcc.Graph loads when
 *   window.Plotly is absent, is pinned to the basic bundle;
 * - plotly is evaluated once: while our own <script> is on its way, window.Plotly is a thenable
 *   placeholder, so dcc.Graph (Promise.resolve(window.Plotly || load())) waits for that script instead of
 *   adding a second one; plotly's own `window.Plotly = Plotly` replaces the placeholder;
 * - the charts of a page are drawn one per frame: dcc.Graph calls Plotly.react for all of them in one
 *   task; the first is drawn at once, each next one in a later task after a frame, so the first chart
 *   (and the page) shows sooner and the page stays responsive while the others are drawn.
 */
(function () {
    "use strict";
    var node = document.getElementById("monitor-loader");
    var config = {};
    try {
        config = node ? JSON.parse(node.textContent) : {};
    } catch (e) {
        config = {};
    }
    var src = config.plotly;
    if (!src) {
        return;
    }

    Object.defineProperty(window, "_dashPlotlyJSURL", {
        configurable: true,
        get: function () { return src; },
        set: function () { /* Dash's renderer sets the full bundle's URL here: keep the basic one */ }
    });

    // --- One chart per frame --------------------------------------------------------------------
    function drawInTurns(Plotly) {
        if (!Plotly || typeof Plotly.react !== "function" || Plotly.react.inTurns) {
            return;
        }
        var react = Plotly.react;
        var queue = [];
        var busy = false;   // a chart was drawn in this task, or drawing is queued

        // the next animation frame (which shows what was drawn so far), then the task after it
        function afterFrame(fn) {
            window.requestAnimationFrame(function () { window.setTimeout(fn, 0); });
        }

        function next() {
            var job = queue.shift();
            if (!job) {
                busy = false;
                return;
            }
            var gd = job.args[0];
            if (gd && gd.nodeType === 1 && !gd.isConnected) {
                job.resolve(gd);    // its Graph went away before it was drawn
                next();
                return;
            }
            try {
                Promise.resolve(react.apply(Plotly, job.args)).then(job.resolve, job.reject);
            } catch (err) {
                job.reject(err);
            }
            afterFrame(next);
        }

        var inTurns = function () {
            var args = arguments;
            if (!busy) {
                busy = true;
                afterFrame(next);
                return react.apply(Plotly, args);
            }
            return new Promise(function (resolve, reject) {
                queue.push({args: args, resolve: resolve, reject: reject});
            });
        };
        inTurns.inTurns = true;
        Plotly.react = inTurns;
    }

    // Whoever defines window.Plotly (our script below, or dcc.Graph loading _dashPlotlyJSURL after a page
    // without charts), its charts are drawn in turns.
    var current = window.Plotly;
    Object.defineProperty(window, "Plotly", {
        configurable: true,
        enumerable: true,
        get: function () { return current; },
        set: function (value) {
            current = value;
            drawInTurns(value);
        }
    });
    drawInTurns(current);

    // --- Load plotly once -----------------------------------------------------------------------
    var started = false;

    function load() {
        if (started || window.Plotly) {
            return;
        }
        started = true;
        var waiting = [];
        var outcome = null;
        var placeholder = {
            then: function (resolve, reject) {
                if (outcome) {
                    outcome(resolve, reject);
                } else {
                    waiting.push([resolve, reject]);
                }
            }
        };
        function settle(ok, value) {
            outcome = function (resolve, reject) { (ok ? resolve : reject)(value); };
            waiting.splice(0).forEach(function (w) { outcome(w[0], w[1]); });
        }
        function failed(message) {
            if (window.Plotly === placeholder) {
                window.Plotly = undefined;
            }
            settle(false, new Error(message));
        }
        window.Plotly = placeholder;
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () {
            if (!window.Plotly || window.Plotly === placeholder) {
                failed("plotly.js did not define window.Plotly: " + src);
            } else {
                settle(true, true);
            }
        };
        script.onerror = function () { failed("plotly.js did not load from " + src); };
        document.head.appendChild(script);
    }

    if (config.early) {
        // Dash's renderer asks for the page with fetch(".../_dash-update-component"); from then on the main
        // thread is idle until the server answers.
        var nativeFetch = window.fetch;
        window.fetch = function (input) {
            var url = String((input && input.url) || input || "");
            if (url.indexOf("_dash-update-component") !== -1) {
                window.fetch = nativeFetch;
                load();
            }
            return nativeFetch.apply(this, arguments);
        };
    }
}());
