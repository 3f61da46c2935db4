/* The coverage map, on the shared map module (portal/map.js: base layer of streets and
   outlines, or the operator's tiles): facilities of the chosen kind, the buildings of the latest
   analysis coloured by whether they lie within the kind's walking distance, and the suggested
   sites with their nearest address. Canvas rendering keeps tens of thousands of buildings smooth.
   Coordinates are WGS-84. */
(function () {
  "use strict";
  if (!window.LinliMap) return;
  var M = window.LinliMap;
  var COVERED = "#2e7d32", UNCOVERED = "#b00020", EMPTY = "#9aa5b1", FACILITY = "#1a56b0", SITE = "#7b1fa2";

  M.mode("coverage", function (el) {
    var map = M.create(el, { center: M.centre(el, 14).center, zoom: 14, canvas: true });
    var buildings = L.featureGroup().addTo(map);
    var facilities = L.featureGroup().addTo(map);
    var sitesLayer = L.featureGroup().addTo(map);
    var loads = [];
    if (el.dataset.buildings) {
      loads.push(M.getJSON(el.dataset.buildings).then(function (points) {
        var covered = 0;
        (points || []).forEach(function (p) {
          if (p.covered) covered += 1;
          // a building with nobody on record counts for nothing: grey, whatever its distance
          var colour = !p.residents ? EMPTY : p.covered ? COVERED : UNCOVERED;
          L.circleMarker([p.lat, p.lng], {
            radius: p.residents ? 4 : 3, stroke: false, fillColor: colour, fillOpacity: p.residents ? 0.85 : 0.5
          }).bindPopup(
            M.esc(p.name) + "<br>" + (p.walk_m === null ? "&gt; 1000 m" : p.walk_m + " m") + " · " + p.residents
          ).addTo(buildings);
        });
        el.dataset.buildingCount = String((points || []).length);
        el.dataset.coveredCount = String(covered);
      }));
    }
    loads.push(M.getJSON(el.dataset.facilities).then(function (points) {
      (points || []).forEach(function (p) {
        L.circleMarker([p.lat, p.lng], {
          radius: 5, color: FACILITY, weight: 2, fillColor: "#fff", fillOpacity: 0.9
        }).bindPopup(M.esc(p.name) + "<br>" + M.esc(p.kind_name) + " · " + M.esc(p.area) + " m²").addTo(facilities);
      });
      el.dataset.facilityCount = String((points || []).length);
    }));
    var sitesNode = document.getElementById("suggested-sites");
    var sites = sitesNode ? JSON.parse(sitesNode.textContent) || [] : [];
    sites.forEach(function (s, i) {
      var where = s.place ? M.esc(s.place.address) + " · " + M.esc(s.place.community) : "";
      L.circleMarker([s.lat, s.lng], {
        radius: 9, color: "#fff", weight: 3, fillColor: SITE, fillOpacity: 0.95
      }).bindPopup("#" + (i + 1) + (where ? " · " + where : "") + " · " + s.reach).addTo(sitesLayer);
    });
    el.dataset.siteCount = String(sites.length);
    Promise.all(loads).then(function () {
      // the analysed buildings decide the view; without them, the facilities
      var focus = buildings.getLayers().length ? buildings : facilities;
      if (focus.getLayers().length) {
        map.fitBounds(focus.getBounds().pad(0.05), { maxZoom: 16, animate: false });
      }
      sitesLayer.bringToFront();
    }).catch(function (error) {
      // a point the map cannot draw must not leave the page waiting: say so where tests and
      // the console can see it, and show what did load
      el.dataset.error = String(error);
      if (window.console) console.error(error);
    }).then(function () {
      el.dataset.ready = "1";
    });
  });
})();
