// Check in or out by position: read the phone's position when the button is tapped, then send
// the form. Without a position the server answers with the reason (no silent failure).
(function () {
  function start() {
    var form = document.querySelector("form[data-geo]");
    if (!form || !navigator.geolocation) return;
    var status = document.getElementById("geo-status");
    var sending = false;
    form.addEventListener("submit", function (event) {
      if (sending) return;
      event.preventDefault();
      if (status) status.textContent = status.dataset.reading || "…";
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          document.getElementById("geo-lat").value = pos.coords.latitude.toFixed(6);
          document.getElementById("geo-lng").value = pos.coords.longitude.toFixed(6);
          sending = true;
          form.submit();
        },
        function () { sending = true; form.submit(); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 }
      );
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
