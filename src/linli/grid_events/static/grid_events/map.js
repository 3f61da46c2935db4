/* Event maps (Leaflet, vendored). Three modes, chosen by data-mode on the map element:
   pick   – the report form: tap to place the problem, or use the phone's position;
   one    – an event page: its point;
   points – the map page: every event you may see, coloured by state.
   Tiles come only from the operator's server (data-tiles); without them the points are drawn
   on a plain grid, so the map works on a closed network. Coordinates are WGS-84. */
(function () {
  "use strict";

  function baseMap(el, center, zoom) {
    var map = L.map(el, { zoomControl: true, attributionControl: !!el.dataset.tiles });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    } else {
      el.classList.add("no-tiles");
    }
    map.setView(center, zoom);
    return map;
  }

  function num(value) {
    var n = parseFloat(value);
    return isNaN(n) ? null : n;
  }

  var COLOURS = { open: "#c25400", overdue: "#b00020", closed: "#2e7d32" };
  var FINISHED = ["closed", "evaluated", "rejected", "merged"];

  function pointStyle(p) {
    var key = p.overdue ? "overdue" : FINISHED.indexOf(p.state) >= 0 ? "closed" : "open";
    return { radius: 7, color: "#fff", weight: 2, fillColor: COLOURS[key], fillOpacity: 0.9 };
  }

  function drawPoints(map, el, fit) {
    fetch(el.dataset.points, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (points) {
        var layer = L.featureGroup();
        points.forEach(function (p) {
          var marker = L.circleMarker([p.lat, p.lng], pointStyle(p));
          var link = el.dataset.link ? '<a href="' + el.dataset.link + encodeURIComponent(p.number) + '/">' : "<span>";
          marker.bindPopup(link + p.number + (el.dataset.link ? "</a>" : "</span>") + "<br>" + (p.category || ""));
          layer.addLayer(marker);
        });
        layer.addTo(map);
        el.dataset.count = String(points.length);
        if (fit && points.length) map.fitBounds(layer.getBounds().pad(0.1), { maxZoom: 16, animate: false });
      });
  }

  function pickMode(el) {
    var form = el.closest("form");
    var lat = form.querySelector("input[name=lat]");
    var lng = form.querySelector("input[name=lng]");
    var shown = document.getElementById("picked");
    var center = [num(lat.value) || num(el.dataset.lat) || 41.8, num(lng.value) || num(el.dataset.lng) || 123.43];
    var map = baseMap(el, center, 16);
    var marker = null;
    function place(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      if (marker) marker.setLatLng(latlng); else marker = L.marker(latlng).addTo(map);
      if (shown) shown.textContent = lat.value + ", " + lng.value;
    }
    if (num(lat.value) !== null) place(L.latLng(num(lat.value), num(lng.value)));
    map.on("click", function (e) { place(e.latlng); });
    var locate = document.getElementById("locate-me");
    if (locate && navigator.geolocation) {
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          var here = L.latLng(pos.coords.latitude, pos.coords.longitude);
          place(here);
          map.setView(here, 17);
        });
      });
    } else if (locate) {
      locate.hidden = true;
    }
    if (el.dataset.points) drawPoints(map, el, false);
  }

  function oneMode(el) {
    var here = [num(el.dataset.lat), num(el.dataset.lng)];
    var map = baseMap(el, here, 16);
    L.circleMarker(here, pointStyle({ state: "open" })).addTo(map);
  }

  function pointsMode(el) {
    var map = baseMap(el, [num(el.dataset.lat) || 41.8, num(el.dataset.lng) || 123.43], 11);
    drawPoints(map, el, true);
  }

  function start() {
    if (typeof L === "undefined") return;
    L.Icon.Default.imagePath = (document.querySelector("link[href*='leaflet.css']") || { href: "" }).href.replace("leaflet.css", "images/");
    document.querySelectorAll(".map[data-mode]").forEach(function (el) {
      ({ pick: pickMode, one: oneMode, points: pointsMode })[el.dataset.mode](el);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
