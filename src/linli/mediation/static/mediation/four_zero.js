/* The four-zero board's map, on the shared map module (portal/map.js: the server's streets and
   outlines, or the operator's tiles): one dot per community coloured by its status this month
   (green four-zero, red a zero missed, grey no records for a zero). Points come from a JSON
   island rendered by the page; no request leaves the server. */
(function () {
  "use strict";
  if (!window.LinliMap) return;
  var M = window.LinliMap;
  var COLOURS = { met: "#2e7d32", missed: "#b00020", no_data: "#9aa5b1" };

  M.mode("fourzero", function (el) {
    var map = M.create(el, { center: M.centre(el, 13).center, zoom: 13 });
    var node = document.getElementById(el.dataset.points);
    var points = node ? JSON.parse(node.textContent) || [] : [];
    var layer = L.featureGroup().addTo(map);
    points.forEach(function (p) {
      L.circleMarker([p.lat, p.lng], {
        radius: 9, color: "#fff", weight: 2, fillColor: COLOURS[p.state] || COLOURS.no_data, fillOpacity: 0.9
      }).bindPopup(M.esc(p.name) + "<br>" + M.esc(p.label)).addTo(layer);
    });
    if (layer.getLayers().length) map.fitBounds(layer.getBounds().pad(0.1), { maxZoom: 15, animate: false });
    el.dataset.pointCount = String(points.length);
    el.dataset.ready = "1";
  });
})();
