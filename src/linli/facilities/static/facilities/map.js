/* The coverage map (Leaflet, vendored): facilities of the chosen kind, the buildings of the
   latest analysis coloured by whether they lie within the kind's walking distance, and the
   suggested sites. Canvas rendering keeps tens of thousands of buildings smooth. Tiles only
   from the operator's server (data-tiles); without them the points are drawn on a plain grid.
   Coordinates are WGS-84. */
(function () {
  "use strict";

  var COVERED = "#2e7d32", UNCOVERED = "#b00020", EMPTY = "#9aa5b1", FACILITY = "#1a56b0", SITE = "#7b1fa2";

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; });
  }

  function esc(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function init(el) {
    var map = L.map(el, { preferCanvas: true, attributionControl: !!el.dataset.tiles });
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution || "" }).addTo(map);
    } else {
      el.classList.add("no-tiles");
    }
    var lat = parseFloat(el.dataset.lat) || 41.8, lng = parseFloat(el.dataset.lng) || 123.43;
    map.setView([lat, lng], 14);
    var buildings = L.featureGroup().addTo(map);
    var facilities = L.featureGroup().addTo(map);
    var sitesLayer = L.featureGroup().addTo(map);
    var loads = [];
    if (el.dataset.buildings) {
      loads.push(getJSON(el.dataset.buildings).then(function (points) {
        var covered = 0;
        points.forEach(function (p) {
          if (p.covered) covered += 1;
          // a building with nobody on record counts for nothing: grey, whatever its distance
          var colour = !p.residents ? EMPTY : p.covered ? COVERED : UNCOVERED;
          L.circleMarker([p.lat, p.lng], {
            radius: p.residents ? 4 : 3, stroke: false, fillColor: colour, fillOpacity: p.residents ? 0.85 : 0.5
          }).bindPopup(
            esc(p.name) + "<br>" + (p.walk_m === null ? "&gt; 1000 m" : p.walk_m + " m") + " · " + p.residents
          ).addTo(buildings);
        });
        el.dataset.buildingCount = String(points.length);
        el.dataset.coveredCount = String(covered);
      }));
    }
    loads.push(getJSON(el.dataset.facilities).then(function (points) {
      points.forEach(function (p) {
        L.circleMarker([p.lat, p.lng], {
          radius: 5, color: FACILITY, weight: 2, fillColor: "#fff", fillOpacity: 0.9
        }).bindPopup(esc(p.name) + "<br>" + esc(p.kind_name) + " · " + esc(p.area) + " m²").addTo(facilities);
      });
      el.dataset.facilityCount = String(points.length);
    }));
    var sitesNode = document.getElementById("suggested-sites");
    var sites = sitesNode ? JSON.parse(sitesNode.textContent) || [] : [];
    sites.forEach(function (s, i) {
      L.circleMarker([s.lat, s.lng], {
        radius: 9, color: "#fff", weight: 3, fillColor: SITE, fillOpacity: 0.95
      }).bindPopup("#" + (i + 1) + " · " + s.reach).addTo(sitesLayer);
    });
    el.dataset.siteCount = String(sites.length);
    Promise.all(loads).then(function () {
      // the analysed buildings decide the view; without them, the facilities
      var focus = buildings.getLayers().length ? buildings : facilities;
      if (focus.getLayers().length) {
        map.fitBounds(focus.getBounds().pad(0.05), { maxZoom: 16, animate: false });
      }
      sitesLayer.bringToFront();
      el.dataset.ready = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("facility-map");
    if (el && !el.dataset.mode) init(el);
  });
})();
