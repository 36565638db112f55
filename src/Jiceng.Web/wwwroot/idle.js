// Staff sessions end after 15 idle minutes (等保2.0). The cookie also expires server-side;
// this closes an open page so that nothing stays on screen for the next person.
(function () {
    var limitMs = 15 * 60 * 1000, timer;
    function logout() {
        var form = document.getElementById('logout-form');
        if (form) { form.submit(); }
    }
    function reset() { clearTimeout(timer); timer = setTimeout(logout, limitMs); }
    ['mousemove', 'keydown', 'click', 'touchstart', 'scroll'].forEach(function (e) {
        document.addEventListener(e, reset, { passive: true });
    });
    reset();
})();
