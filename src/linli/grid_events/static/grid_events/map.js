/* Event maps, on the shared map module (portal/map.js: base layer, picker, clustering).
   one    – an event page: its point;
   points – the events map: every event you may see (as filtered on the page), coloured by
            state, clustered where dense; a tap on a point opens the event.
   The report forms use the shared "pick" mode. Coordinates are WGS-84. */
(function () {
  "use strict";
  if (!window.LinliMap) return;
  var M = window.LinliMap;

  var COLOURS = { open: "#c25400", overdue: "#b00020", closed: "#2e7d32" };
  var FINISHED = ["closed", "evaluated", "rejected", "merged"];

  function pointStyle(p) {
    var key = p.overdue ? "overdue" : FINISHED.indexOf(p.state) >= 0 ? "closed" : "open";
    return { radius: 7, color: "#fff", weight: 2, fillColor: COLOURS[key], fillOpacity: 0.9 };
  }

  M.mode("one", function (el) {
    var here = [M.num(el.dataset.lat), M.num(el.dataset.lng)];
    var map = M.create(el, { center: here, zoom: 16 });
    L.circleMarker(here, pointStyle({ state: "open" })).addTo(map);
  });

  M.mode("points", function (el) {
    var start = M.centre(el, 12);
    var map = M.create(el, start);
    M.getJSON(el.dataset.points).then(function (points) {
      points = points || [];
      M.cluster(map, points, function (p) {
        var link = el.dataset.link + encodeURIComponent(p.number) + "/";
        return L.circleMarker([p.lat, p.lng], pointStyle(p)).bindPopup(
          '<a href="' + link + '">' + M.esc(p.number) + "</a><br>" + M.esc(p.category) + "<br>" + M.esc(p.state_name)
        );
      });
      el.dataset.count = String(points.length);
      if (points.length) {
        var bounds = L.latLngBounds(points.map(function (p) { return [p.lat, p.lng]; }));
        map.fitBounds(bounds.pad(0.1), { maxZoom: 16, animate: false });
      }
      el.dataset.ready = "1";
    });
  });
})();
