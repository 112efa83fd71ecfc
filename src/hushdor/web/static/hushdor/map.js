/* The operator map: vector layers fetched as GeoJSON, a population-density image, no tile server. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("map-config").textContent);
  var text = JSON.parse(document.getElementById("map-text").textContent);
  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || undefined);

  var map = L.map("map", { zoomSnap: 0.25, preferCanvas: false, maxBounds: L.latLngBounds(config.bounds).pad(0.5) });
  map.fitBounds(config.bounds);
  map.createPane("background").style.zIndex = 200;
  map.createPane("density").style.zIndex = 350;
  map.createPane("areas").style.zIndex = 400;
  map.createPane("places").style.zIndex = 600;
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("GeoNames, geoBoundaries, Natural Earth, GEBCO");

  function escapeHtml(value) {
    return String(value == null ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function areaPopup(feature) {
    var p = feature.properties;
    var lines = ["<strong>" + escapeHtml(p.name) + "</strong>"];
    if (p.region) lines.push(escapeHtml(text.region) + ": " + escapeHtml(p.region));
    if (p.population != null) lines.push(numberFormat.format(p.population) + " " + escapeHtml(text.people));
    return lines.join("<br>");
  }

  var layers = {
    neighbours: L.geoJSON(null, { pane: "background", interactive: false,
      style: { color: "#b9b4a7", weight: 0.8, fillColor: "#ece9e1", fillOpacity: 1 } }),
    country: L.geoJSON(null, { pane: "background", interactive: false,
      style: { color: "#5b5548", weight: 1.6, fillColor: "#fbfaf6", fillOpacity: 1 } }),
    lakes: L.geoJSON(null, { pane: "areas", interactive: false,
      style: { color: "#5d8fb5", weight: 0.6, fillColor: "#a9cbe6", fillOpacity: 1 } }),
    rivers: L.geoJSON(null, { pane: "areas", interactive: false, style: { color: "#6b9bc3", weight: 1 } }),
    districts: L.geoJSON(null, { pane: "areas",
      style: { color: "#8a8172", weight: 0.7, dashArray: "3 3", fill: true, fillOpacity: 0 },
      onEachFeature: function (feature, layer) { layer.bindPopup(areaPopup(feature)); } }),
    regions: L.geoJSON(null, { pane: "areas", interactive: false,
      style: { color: "#3e3a33", weight: 1.8, fill: false } }),
    settlements: L.geoJSON(null, {
      pane: "places",
      pointToLayer: function (feature, latlng) {
        var people = feature.properties.population || 0;
        return L.circleMarker(latlng, { pane: "places", radius: Math.max(2.5, Math.sqrt(people) / 45),
          color: "#ffffff", weight: 1.2, fillColor: "#1f4e79", fillOpacity: 0.85 });
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        var body = "<strong>" + escapeHtml(p.name) + "</strong><br>" +
          numberFormat.format(p.population || 0) + " " + escapeHtml(text.people);
        if (p.district) body += "<br>" + escapeHtml(text.district) + ": " + escapeHtml(p.district);
        layer.bindPopup(body);
        layer.bindTooltip(escapeHtml(p.name), { direction: "top", offset: [0, -4] });
      }
    })
  };
  var density = L.imageOverlay(config.urls.population, config.bounds, { pane: "density", opacity: 1 });

  var order = ["neighbours", "country", "lakes", "rivers", "districts", "regions", "settlements"];
  var pending = order.length;
  order.forEach(function (name) {
    fetch(config.urls[name], { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(name + ": HTTP " + response.status);
        return response.json();
      })
      .then(function (data) { layers[name].addData(data); })
      .catch(function (error) {
        console.error(error);
        document.getElementById("map").dataset.error = text.failed;
      })
      .finally(function () {
        pending -= 1;
        if (pending === 0) document.getElementById("map").dataset.loaded = "true";
      });
    layers[name].addTo(map);
  });
  density.addTo(map);

  var overlays = {};
  overlays[text.population] = density;
  ["settlements", "regions", "districts", "rivers", "lakes", "country", "neighbours"].forEach(function (name) {
    overlays[text[name]] = layers[name];
  });
  L.control.layers(null, overlays, { collapsed: false, position: "topright" }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  var legend = document.getElementById("legend");
  map.on("overlayadd overlayremove", function () {
    legend.hidden = !map.hasLayer(density);
  });
})();
