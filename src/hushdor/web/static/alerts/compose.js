// Compose page: area picker on a Leaflet map (click regions/districts, or draw a polygon by clicking
// its corners), each area described in tg/ru/en, and the live preview (CAP XML, findings, SMS
// segments, each info's area descriptions). Plain JS, no framework, no CDN.
(function () {
  "use strict";
  var form = document.getElementById("compose-form");
  if (!form) { return; }
  var texts = JSON.parse(document.getElementById("compose-text").textContent);
  var hidden = document.getElementById("areas_json");
  var list = document.getElementById("area-list");
  var areas = [];
  try { areas = JSON.parse(hidden.value || "[]"); } catch (error) { areas = []; }
  var mapElement = document.getElementById("area-map");
  var map = null, drawn = null, drawing = null, layers = {};

  function save() { hidden.value = JSON.stringify(areas); render(); }

  // An area's description per language: "description" is the English one (and the fallback),
  // "description_tg" / "description_ru" the Tajik and Russian ones.
  var DESCRIPTION_FIELDS = { tg: "description_tg", ru: "description_ru", en: "description" };

  function descriptionInput(area, index, language) {
    var field = DESCRIPTION_FIELDS[language];
    var input = document.createElement("input");
    input.type = "text";
    input.maxLength = 500;
    input.lang = language;
    input.id = "area-" + index + "-" + language;
    input.className = "area-description";
    input.value = area[field] || "";
    input.placeholder = texts.languages[language];
    input.setAttribute("aria-label", texts.area_description.replace("%(language)s", texts.languages[language]));
    input.addEventListener("input", function () {
      area[field] = input.value;
      hidden.value = JSON.stringify(areas);
    });
    return input;
  }

  function render() {
    list.textContent = "";
    if (drawn) { drawn.clearLayers(); }
    areas.forEach(function (area, index) {
      var item = document.createElement("li");
      var kind = document.createElement("span");
      kind.textContent = area.kind + (area.place_code ? " " + area.place_code : "") + " ";
      item.appendChild(kind);
      ["tg", "ru", "en"].forEach(function (language) {
        item.appendChild(descriptionInput(area, index, language));
      });
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = texts.remove;
      remove.addEventListener("click", function () { areas.splice(index, 1); save(); });
      item.appendChild(remove);
      list.appendChild(item);
      if (drawn && area.polygon) { L.polygon(area.polygon, { color: "#b00020" }).addTo(drawn); }
    });
  }

  function togglePlace(kind, properties) {
    var found = areas.findIndex(function (a) { return a.kind === kind && a.place_code === properties.code; });
    if (found >= 0) { areas.splice(found, 1); } else {
      var names = properties.names || {};
      areas.push({
        kind: kind,
        place_code: properties.code,
        description: names.en || properties.name || properties.code,
        description_tg: names.tg || "",
        description_ru: names.ru || ""
      });
    }
    save();
  }

  function loadLayer(name) {
    if (!map) { return; }
    Object.keys(layers).forEach(function (key) { map.removeLayer(layers[key]); });
    if (layers[name]) { layers[name].addTo(map); return; }
    var kind = name === "regions" ? "region" : "district";
    fetch(mapElement.dataset[name], { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { features: [] }; })
      .then(function (data) {
        layers[name] = L.geoJSON(data, {
          style: { color: "#1565c0", weight: 1, fillOpacity: 0.05 },
          onEachFeature: function (feature, shape) {
            shape.on("click", function (event) {
              if (drawing) { return; }
              L.DomEvent.stopPropagation(event);
              togglePlace(kind, feature.properties);
            });
          }
        }).addTo(map);
      })
      .catch(function () { /* the map still works for drawing */ });
  }

  if (mapElement && typeof L !== "undefined") {
    map = L.map(mapElement).setView([38.7, 71.0], 6);
    drawn = L.layerGroup().addTo(map);
    loadLayer("regions");
    document.getElementById("pick-layer").addEventListener("change", function (event) {
      loadLayer(event.target.value);
    });
    map.on("click", function (event) {
      if (!drawing) { return; }
      drawing.points.push([Number(event.latlng.lat.toFixed(5)), Number(event.latlng.lng.toFixed(5))]);
      drawing.line.setLatLngs(drawing.points);
      document.getElementById("finish-polygon").disabled = drawing.points.length < 3;
    });
  }

  document.getElementById("draw-polygon").addEventListener("click", function () {
    if (!map) { return; }
    drawing = { points: [], line: L.polyline([], { color: "#b00020", dashArray: "4" }).addTo(map) };
    mapElement.classList.add("drawing");
  });
  document.getElementById("finish-polygon").addEventListener("click", function () {
    if (!drawing || drawing.points.length < 3) { return; }
    var ring = drawing.points.slice();
    ring.push(ring[0]);
    var names = texts.polygon_names;
    areas.push({
      kind: "polygon", polygon: ring,
      description: names.en, description_tg: names.tg, description_ru: names.ru
    });
    map.removeLayer(drawing.line);
    drawing = null;
    mapElement.classList.remove("drawing");
    document.getElementById("finish-polygon").disabled = true;
    save();
  });
  document.getElementById("clear-areas").addEventListener("click", function () { areas = []; save(); });

  document.getElementById("preview-button").addEventListener("click", function (event) {
    var section = document.getElementById("preview");
    var findings = document.getElementById("findings");
    fetch(event.target.dataset.url, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        section.hidden = false;
        findings.textContent = "";
        (data.findings.length ? data.findings : [{ severity: "ok", code: "", message: texts.no_findings }])
          .forEach(function (finding) {
            var item = document.createElement("li");
            item.className = finding.severity;
            item.textContent = (finding.code ? finding.code + ": " : "") + finding.message + (finding.path ? " [" + finding.path + "]" : "");
            findings.appendChild(item);
          });
        document.getElementById("preview-xml").textContent = data.xml;
        ["tg", "ru", "en"].forEach(function (language) {
          var target = document.getElementById("sms_" + language);
          var sms = data.sms[language];
          target.textContent = sms ? texts.segments.replace("%(segments)s", sms.segments)
            .replace("%(characters)s", sms.characters).replace("%(encoding)s", sms.encoding) : "";
          var described = (data.areas || {})[language];
          document.getElementById("areas_" + language).textContent = described && described.length
            ? texts.areas.replace("%(areas)s", described.join("; ")) : "";
        });
      })
      .catch(function () { section.hidden = false; findings.textContent = texts.failed; });
  });

  render();
})();
