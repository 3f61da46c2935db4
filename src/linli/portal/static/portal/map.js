/* The one map module every Linli map uses (Leaflet, vendored). It draws a base layer the server
   already has, so a map shows a place with no tile server and no internet:
   - the streets of the road network facilities imported, as vector lines fetched for the visible
     box and simplified by the server for the zoom (GET …/facilities/map/roads);
   - the org units' outlines when loaded (GET …/map/boundaries); outlines the demo drew from
     building positions are dashed and labelled as approximate;
   - when the operator configured an intranet tile server, its tiles instead.
   It also offers what several pages need: a point picker that snaps to the nearest building and
   shows its address (GET …/map/address), and a small screen-space clustering of dense points.
   Configuration and every user-facing text come from the page (#map-base, rendered by
   portal/_map.html in the user's language); nothing here is shown to a user in English.
   Pages pick a mode with data-mode on a .map element; apps register their own modes with
   LinliMap.mode(name, start). Coordinates are WGS-84. */
(function () {
  "use strict";

  var modes = {};
  var config = null;

  function settings() {
    if (config) return config;
    var node = document.getElementById("map-base");
    config = node ? JSON.parse(node.textContent) : {};
    config.text = config.text || {};
    return config;
  }

  function text(key) {
    return settings().text[key] || "";
  }

  function num(value) {
    var n = parseFloat(value);
    return isNaN(n) ? null : n;
  }

  function esc(value) {
    var div = document.createElement("div");
    div.textContent = value == null ? "" : String(value);
    return div.innerHTML;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .catch(function () { return null; });
  }

  // ---- the base layer ---------------------------------------------------------------------

  /* The box to ask for: the view padded by a tile on every side and widened to whole 256-px
     tiles of this zoom, so small pans ask nothing new and repeated boxes hit the browser cache. */
  function requestBox(map) {
    var zoom = map.getZoom();
    var pixels = map.getPixelBounds();
    var size = 256;
    var min = L.point(Math.floor(pixels.min.x / size) - 1, Math.floor(pixels.min.y / size) - 1).multiplyBy(size);
    var max = L.point(Math.ceil(pixels.max.x / size) + 1, Math.ceil(pixels.max.y / size) + 1).multiplyBy(size);
    var sw = map.unproject(L.point(min.x, max.y), zoom);
    var ne = map.unproject(L.point(max.x, min.y), zoom);
    if (tooWide(L.latLngBounds(sw, ne))) {  // the padding alone made it too wide: ask for the view
      sw = map.getBounds().getSouthWest();
      ne = map.getBounds().getNorthEast();
    }
    var clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)); };
    return {
      zoom: zoom,
      bounds: L.latLngBounds(sw, ne),
      query: [clamp(sw.lat, 85), clamp(sw.lng, 180), clamp(ne.lat, 85), clamp(ne.lng, 180)]
        .map(function (v) { return v.toFixed(5); }).join(",")
    };
  }

  var MAX_BOX_DEGREES = 12;  // the server refuses wider boxes (core/geo.py)

  function tooWide(bounds) {
    return bounds.getNorth() - bounds.getSouth() > MAX_BOX_DEGREES || bounds.getEast() - bounds.getWest() > MAX_BOX_DEGREES;
  }

  function roadWeight(zoom) {
    return zoom >= 17 ? 4 : zoom >= 15 ? 2.5 : zoom >= 13 ? 1.5 : 1;
  }

  function vectorBase(map, el) {
    var cfg = settings();
    var pane = map.createPane("linli-base");
    pane.style.zIndex = 250;
    pane.style.pointerEvents = "none";
    var renderer = L.svg({ pane: "linli-base", padding: 0.5 });
    var roads = null, outlines = null, last = null, notice = null;
    el.classList.add("vector-base");

    function note(message) {
      if (!notice) {
        notice = L.control({ position: "bottomleft" });
        notice.onAdd = function () {
          var div = L.DomUtil.create("div", "map-note");
          div.setAttribute("role", "note");
          return div;
        };
        notice.addTo(map);
      }
      notice.getContainer().textContent = message;
      notice.getContainer().hidden = !message;
    }

    function draw(box, roadData, outlineData) {
      if (roads) map.removeLayer(roads);
      if (outlines) map.removeLayer(outlines);
      roads = L.geoJSON(roadData && roadData.features ? roadData : null, {
        renderer: renderer, interactive: false,
        style: { color: "#a9b3bf", weight: roadWeight(box.zoom), opacity: 1, lineCap: "round", lineJoin: "round" }
      }).addTo(map);
      var approximate = false;
      outlines = L.geoJSON(outlineData && outlineData.features ? outlineData : null, {
        renderer: renderer, interactive: false,
        style: function (feature) {
          if (feature.properties.approximate) approximate = true;
          return {
            color: "#6a4c93", weight: 1.5, opacity: 0.8, fill: true, fillOpacity: 0.03,
            dashArray: feature.properties.approximate ? "6 5" : null
          };
        }
      }).addTo(map);
      var messages = [];
      if (approximate) messages.push(text("approximate"));
      if (roadData && roadData.truncated) messages.push(text("zoomForStreets"));
      note(messages.join(" · "));
      el.dataset.roadPaths = String(roadData && roadData.features ? roadData.features.length : 0);
      el.dataset.baseZoom = String(box.zoom);  // which zoom the drawn layer was made for
      el.dataset.baseReady = "1";
    }

    function refresh() {
      var box = requestBox(map);
      if (last && last.zoom === box.zoom && last.bounds.contains(map.getBounds())) return;
      if (tooWide(box.bounds)) {  // a view wider than a city: the server draws no streets for it
        last = null;
        draw(box, null, null);
        note(text("zoomForStreets"));
        return;
      }
      last = box;
      var q = "?bbox=" + box.query + "&zoom=" + box.zoom;
      Promise.all([
        cfg.roads ? getJSON(cfg.roads + q) : Promise.resolve(null),
        cfg.boundaries ? getJSON(cfg.boundaries + q) : Promise.resolve(null)
      ]).then(function (answers) {
        if (last === box) draw(box, answers[0], answers[1]);
      });
    }

    var timer = null;
    map.on("moveend zoomend", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 150);
    });
    map.whenReady(refresh);
  }

  /* A Leaflet map on `el` with the base layer: the operator's tiles, or the server's streets
     and outlines. options: center [lat, lng], zoom, canvas (draw overlays on a canvas). */
  function create(el, options) {
    var cfg = settings();
    var map = L.map(el, { zoomControl: true, preferCanvas: !!options.canvas, attributionControl: !!cfg.tiles });
    map.setView(options.center, options.zoom);
    el.linliMap = map;  // for the page's own scripts and the browser tests
    if (cfg.tiles) {
      L.tileLayer(cfg.tiles, { maxZoom: 19, attribution: esc(cfg.attribution || "") }).addTo(map);
      el.dataset.baseReady = "1";
    } else {
      vectorBase(map, el);
    }
    return map;
  }

  function centre(el, fallbackZoom) {
    var cfg = settings();
    return {
      center: [num(el.dataset.lat) || num(cfg.lat) || 41.8, num(el.dataset.lng) || num(cfg.lng) || 123.43],
      zoom: fallbackZoom
    };
  }

  // ---- the point picker -------------------------------------------------------------------

  /* Tap (or "use my position") to place a point; it snaps to the nearest building within reach
     and the page shows that building's address and community, fills an empty address field and
     picks the building in a building list that offers it. No building near: the tapped point
     is kept and the page says so. The form's lat/lng inputs always hold what is sent. */
  function picker(el) {
    var cfg = settings();
    var form = el.closest("form");
    var lat = form.querySelector("input[name=lat]");
    var lng = form.querySelector("input[name=lng]");
    var shown = document.getElementById(el.dataset.shown || "picked");
    var address = form.querySelector(el.dataset.address || "input[name=address]");
    var building = form.querySelector("select[name=building]");
    var start = centre(el, 16);
    if (num(lat.value) !== null && num(lng.value) !== null) start.center = [num(lat.value), num(lng.value)];
    var map = create(el, { center: start.center, zoom: start.zoom });
    var marker = null, filled = "", asked = 0, placed = "";

    function put(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      placed = lat.value + "," + lng.value;
      if (marker) marker.setLatLng(latlng);
      else marker = L.marker(latlng, { keyboard: false, alt: text("picked") }).addTo(map);
    }

    function say(message) {
      if (shown) shown.textContent = message;
      el.dataset.picked = message;
    }

    function place(latlng) {
      put(latlng);
      if (!cfg.address) return;
      var ticket = ++asked;
      say(text("looking"));
      getJSON(cfg.address + "?lat=" + latlng.lat.toFixed(6) + "&lng=" + latlng.lng.toFixed(6)).then(function (found) {
        // a later tap won, or the coordinates were typed in meanwhile: theirs stand
        if (ticket !== asked || lat.value + "," + lng.value !== placed) return;
        if (!found || !found.found) {
          say(text("noBuilding"));
          el.dataset.snapped = "";
          return;
        }
        put(L.latLng(found.lat, found.lng));
        var where = found.address + " · " + found.community + (found.street ? "（" + found.street + "）" : "");
        say(text("nearest") + where);
        el.dataset.snapped = found.id;
        if (address && (!address.value || address.value === filled)) {
          address.value = found.address;
          filled = found.address;
        }
        if (building && building.querySelector("option[value='" + found.id + "']")) building.value = found.id;
      });
    }

    if (num(lat.value) !== null && num(lng.value) !== null) put(L.latLng(num(lat.value), num(lng.value)));
    map.on("click", function (e) { place(e.latlng); });
    var locate = document.getElementById(el.dataset.locate || "locate-me");
    if (locate && navigator.geolocation) {
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (pos) {
          var here = L.latLng(pos.coords.latitude, pos.coords.longitude);
          map.setView(here, 17);
          place(here);
        }, function () { say(text("noPosition")); });
      });
    } else if (locate) {
      locate.hidden = true;
    }
    return map;
  }

  // ---- clustering -------------------------------------------------------------------------

  /* Points closer than `cell` screen pixels are drawn as one numbered circle; a tap on it zooms
     in to its points. Re-clustered at every zoom; at `maxZoom` and above every point is its own.
     points: [{lat, lng, …}]; marker(point) → a Leaflet layer for one point. */
  function cluster(map, points, marker, options) {
    options = options || {};
    var cell = options.cell || 48, maxZoom = options.maxZoom || 17;
    var layer = L.featureGroup().addTo(map);
    function redraw() {
      layer.clearLayers();
      var zoom = map.getZoom(), buckets = {}, order = [];
      points.forEach(function (p) {
        var at = map.project([p.lat, p.lng], zoom);
        var key = zoom >= maxZoom ? order.length : Math.floor(at.x / cell) + ":" + Math.floor(at.y / cell);
        if (!buckets[key]) { buckets[key] = []; order.push(key); }
        buckets[key].push(p);
      });
      var clusters = 0;
      order.forEach(function (key) {
        var group = buckets[key];
        if (group.length === 1) { layer.addLayer(marker(group[0])); return; }
        clusters += 1;
        var bounds = L.latLngBounds(group.map(function (p) { return [p.lat, p.lng]; }));
        var size = group.length < 10 ? 30 : group.length < 100 ? 36 : 44;
        var icon = L.divIcon({
          className: "map-cluster", iconSize: [size, size],
          html: "<span>" + group.length + "</span>"
        });
        var label = text("cluster").replace("{n}", group.length);
        var m = L.marker(bounds.getCenter(), { icon: icon, title: label, alt: label, riseOnHover: true });
        m.on("click", function () { map.fitBounds(bounds.pad(0.2), { maxZoom: maxZoom }); });
        layer.addLayer(m);
      });
      map.getContainer().dataset.clusters = String(clusters);
    }
    map.on("zoomend", redraw);
    redraw();
    return layer;
  }

  // ---- start --------------------------------------------------------------------------------

  var started = false;

  /* Register a mode. An app script that runs after the maps were started (a deferred script
     still downloading while the others ran) starts its own maps at once. */
  function mode(name, start) {
    modes[name] = start;
    if (started) startMaps(name);
  }

  function startMaps(only) {
    document.querySelectorAll(".map[data-mode]").forEach(function (el) {
      var start = modes[el.dataset.mode];
      if (!start || el.dataset.started || (only && el.dataset.mode !== only)) return;
      el.dataset.started = "1";
      try {
        start(el);
      } catch (error) {
        // a map that cannot start says so on its element (tests and the console read it) and
        // leaves the rest of the page working
        el.dataset.error = String(error);
        el.dataset.ready = "1";
        if (window.console) console.error(error);
      }
    });
  }

  function startAll() {
    if (started || typeof L === "undefined") return;
    started = true;
    L.Icon.Default.imagePath = settings().icons || "";
    startMaps(null);
  }

  mode("pick", picker);

  window.LinliMap = {
    create: create, centre: centre, picker: picker, cluster: cluster, mode: mode,
    getJSON: getJSON, esc: esc, num: num, text: text, settings: settings
  };

  // Deferred scripts run while the document is "interactive", before DOMContentLoaded; the app
  // scripts deferred after this one register their modes by then. (A zero timeout here once lost
  // the race to an app script still downloading, and its map never started.)
  if (document.readyState === "complete") startAll();
  else document.addEventListener("DOMContentLoaded", startAll);
})();
