// Staff sessions end after 15 idle minutes (等保2.0). The server enforces it (cookie expiry, circuit
// revalidation); this closes an idle page so that nothing stays on screen for the next person, and
// keeps the sliding cookie alive while someone is actually working in the page.
(function () {
    if (!document.getElementById('logout-form')) { return; }
    var limitMs = 15 * 60 * 1000, pingEveryMs = 4 * 60 * 1000, timer, lastPing = Date.now();
    function logout() { document.getElementById('logout-form').submit(); }
    function activity() {
        clearTimeout(timer);
        timer = setTimeout(logout, limitMs);
        if (Date.now() - lastPing > pingEveryMs) {
            lastPing = Date.now();
            fetch('/account/ping', { credentials: 'same-origin' });
        }
    }
    ['mousemove', 'keydown', 'click', 'touchstart', 'scroll'].forEach(function (e) {
        document.addEventListener(e, activity, { passive: true });
    });
    activity();
})();
