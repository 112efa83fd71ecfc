// Public map of active warnings: draws /cap/alerts.geojson with Leaflet (served locally, no CDN, no tiles).
(function () {
  "use strict";
  var element = document.getElementById("public-map");
  if (!element || typeof L === "undefined") { return; }
  var language = element.dataset.language || "en";
  var colours = { Extreme: "#b00020", Severe: "#e65100", Moderate: "#f9a825", Minor: "#2e7d32" };
  var map = L.map(element).setView([38.7, 71.0], 6);
  function text(properties) {
    var texts = properties.texts || {};
    var chosen = texts[language] || texts.en || Object.values(texts)[0] || {};
    return chosen;
  }
  function popup(properties) {
    var chosen = text(properties);
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = chosen.headline || properties.identifier;
    var body = document.createElement("p");
    body.textContent = (chosen.instruction || "") + " (" + (chosen.area || properties.area) + ")";
    box.appendChild(title);
    box.appendChild(body);
    return box;
  }
  // Background for orientation: neighbours, then Tajikistan (no tile server: works air-gapped).
  function background(url, style) {
    if (!url) { return Promise.resolve(); }
    return fetch(url).then(function (response) { return response.json(); })
      .then(function (data) { L.geoJSON(data, { style: style, interactive: false }).addTo(map); })
      .catch(function () { /* the warnings matter more than the background */ });
  }
  background(element.dataset.neighbours, { color: "#9e9e9e", weight: 1, fillColor: "#eeeeee", fillOpacity: 1 })
    .then(function () {
      return background(element.dataset.country, { color: "#424242", weight: 1.5, fillColor: "#fafafa", fillOpacity: 1 });
    })
    .then(drawWarnings);
  function drawWarnings() {
  fetch(element.dataset.geojson, { headers: { Accept: "application/geo+json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: function (feature) {
          return { color: colours[feature.properties.severity] || "#555", weight: 2, fillOpacity: 0.25 };
        },
        pointToLayer: function (feature, latlng) {
          return L.circle(latlng, { radius: (feature.properties.radius_km || 1) * 1000 });
        },
        onEachFeature: function (feature, shape) { shape.bindPopup(popup(feature.properties)); }
      }).addTo(map);
      if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { maxZoom: 10 }); }
    });
  }
})();
