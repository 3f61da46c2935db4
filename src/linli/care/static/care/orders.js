// Check-in at the home: fill the form's lat/lng/accuracy from the phone's position before it is
// sent. Without a position (refused, no GPS) the form is sent as it is: the server then asks for
// the elder's card code.
(function () {
  "use strict";
  var form = document.querySelector("form[data-geo]");
  if (!form) return;
  var sending = false;
  form.addEventListener("submit", function (event) {
    if (sending || form.card_code.value.trim() || !navigator.geolocation) return;
    event.preventDefault();
    var status = form.querySelector("[data-geo-status]");
    status.textContent = status.dataset.locating || "…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.lat.value = position.coords.latitude;
        form.lng.value = position.coords.longitude;
        form.accuracy.value = position.coords.accuracy;
        sending = true;
        form.submit();
      },
      function () {
        sending = true;
        form.submit();
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
