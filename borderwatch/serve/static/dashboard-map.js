/* The dashboard map: Leaflet over the committed boundary GeoJSON (no tile server, no CDN).
   Reads /api/map with the page's filters; draws incidents per province, country and province
   labels, clustered incident circles sized by mass or by count, flow arrows between country
   centroids, a scale bar and a legend, then fits the view to the matching incidents. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var REGION = L.latLngBounds([5, 92], [29, 110]);
  var PROVINCE_LABEL_ZOOM = 7;
  var map = L.map(el, { zoomSnap: 0.25, minZoom: 4, maxZoom: 12, maxBounds: REGION.pad(0.6),
                        attributionControl: true });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Outlines: Natural Earth (world-atlas); provinces: amCharts · Leaflet");
  map.fitBounds(REGION);
  L.control.scale({ imperial: false, maxWidth: 140 }).addTo(map);
  window.borderwatchMap = map;

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (content !== undefined) { node.textContent = content; }
    return node;
  }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }
  function labelIcon(className, name) {
    var node = text("span", null, name);
    return L.divIcon({ className: className, html: node, iconSize: null });
  }
  function areaCentre(layer) {
    return layer.getBounds().getCenter();
  }
  var SHADES = ["#fff7ec", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000"];
  function shade(n, most) {
    if (!n) { return null; }
    var step = most <= 1 ? 2 : Math.min(SHADES.length - 1, 1 + Math.floor(3 * (n - 1) / (most - 1)));
    return SHADES[step];
  }
  function radius(basis, size) {
    var scaled = basis === "mass" ? size : basis === "count" ? size / 10000 : basis === "volume" ? size : 0;
    return Math.min(34, 4 + 2 * Math.sqrt(Math.max(scaled, 0)));
  }

  var base = el.getAttribute("data-boundaries");
  Promise.all([getJSON(base + "countries.geojson"), getJSON(base + "admin1.geojson"),
               getJSON(el.getAttribute("data-source"))]).then(function (loaded) {
    var countries = loaded[0], provinces = loaded[1], data = loaded[2];
    var counts = {};
    var most = 0;
    data.provinces.forEach(function (p) {
      counts[p.country + "|" + p.admin1.toLowerCase()] = p.incidents;
      most = Math.max(most, p.incidents);
    });
    L.geoJSON(countries, { interactive: false, style: { className: "map-country", weight: 1.2 } }).addTo(map);
    var provinceLabels = L.layerGroup();
    L.geoJSON(provinces, {
      style: function (f) {
        var n = counts[f.properties.country + "|" + String(f.properties.admin1 || "").toLowerCase()] || 0;
        var fill = shade(n, most);
        return { className: "map-province" + (n ? " shaded" : ""), weight: 0.5, fill: true,
                 fillColor: fill || "#f4f1ea", fillOpacity: fill ? 0.75 : 0.0 };
      },
      onEachFeature: function (f, layer) {
        var name = f.properties.admin1 || f.properties.source_name;
        var n = counts[f.properties.country + "|" + String(f.properties.admin1 || "").toLowerCase()] || 0;
        layer.bindTooltip(name + " (" + f.properties.country + "): " + n + " incident" + (n === 1 ? "" : "s"),
                          { sticky: true });
        if (name) {
          L.marker(areaCentre(layer), { icon: labelIcon("map-label province-label", name), interactive: false,
                                         keyboard: false }).addTo(provinceLabels);
        }
      }
    }).addTo(map);
    var countryLabels = L.layerGroup().addTo(map);
    countries.features.forEach(function (f) {
      var at = data.centroids[f.properties.country];
      if (at) {
        L.marker([at[1], at[0]], { icon: labelIcon("map-label country-label", f.properties.name),
                                   interactive: false, keyboard: false }).addTo(countryLabels);
      }
    });
    function toggleProvinceLabels() {
      if (map.getZoom() >= PROVINCE_LABEL_ZOOM) { provinceLabels.addTo(map); } else { provinceLabels.remove(); }
      el.setAttribute("data-zoom", String(map.getZoom()));
    }
    map.on("zoomend", toggleProvinceLabels);

    data.arrows.forEach(function (a) {
      var from = L.latLng(a.from), to = L.latLng(a.to);
      var weight = 1.5 + Math.log2(a.weight + 1);
      var line = L.polyline([from, to], { className: "map-flow", weight: weight });
      line.bindTooltip(a.title, { sticky: true });
      line.addTo(map);
      // The head sits 85% of the way along, so it is not hidden under the destination's label.
      var tip = L.latLng(from.lat + 0.85 * (to.lat - from.lat), from.lng + 0.85 * (to.lng - from.lng));
      var dy = to.lat - from.lat, dx = to.lng - from.lng, length = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / length, uy = dy / length, back = 0.55, wide = 0.3;
      var head = L.polygon([tip, [tip.lat - uy * back + ux * wide, tip.lng - ux * back - uy * wide],
                            [tip.lat - uy * back - ux * wide, tip.lng - ux * back + uy * wide]],
                           { className: "map-flow-head", weight: 1, fillOpacity: 1 });
      head.bindTooltip(a.title, { sticky: true });
      head.addTo(map);
      line.getElement().setAttribute("data-origin", a.origin);
      line.getElement().setAttribute("data-destination", a.destination);
    });

    var cluster = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    var bounds = L.latLngBounds([]);
    data.circles.forEach(function (c) {
      var colour = data.colours[c.commodity] || data.colours.other;
      var marker = L.circleMarker([c.lat, c.lon], {
        radius: radius(c.basis, c.size), color: "#1f2937", weight: 1, fillColor: colour, fillOpacity: 0.6,
        className: "map-seizure commodity-" + c.commodity + " basis-" + c.basis + (c.approximate ? " approximate" : "")
      });
      var popup = text("div", "map-popup");
      popup.appendChild(text("p", null, c.title));
      var link = text("a", null, "see the evidence");
      link.href = c.href;
      popup.appendChild(link);
      marker.bindPopup(popup);
      marker.bindTooltip(c.title);
      cluster.addLayer(marker);
      bounds.extend([c.lat, c.lon]);
    });
    map.addLayer(cluster);

    function buildLegend() {
      var box = text("div", "map-legend");
      box.appendChild(text("strong", null, "Commodity"));
      Object.keys(data.colours).forEach(function (name) {
        var row = text("div", "legend-row");
        var dot = text("span", "legend-dot commodity-" + name);
        row.appendChild(dot);
        row.appendChild(text("span", null, name));
        box.appendChild(row);
      });
      [["Mass", "mass", [[10, "10 kg"], [100, "100 kg"], [1000, "1,000 kg"]]],
       ["Count (tablets, pieces)", "count", [[100000, "100,000"], [1000000, "1 million"], [10000000, "10 million"]]]]
        .forEach(function (key) {
          box.appendChild(text("strong", null, key[0]));
          var row = text("div", "legend-sizes legend-" + key[1]);
          key[2].forEach(function (entry) {
            var r = radius(key[1], entry[0]);
            var item = text("span", "legend-size");
            var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
            svg.setAttribute("width", String(2 * r + 2));
            svg.setAttribute("height", String(2 * r + 2));
            var circle = document.createElementNS("http://www.w3.org/2000/svg", "circle");
            circle.setAttribute("cx", String(r + 1));
            circle.setAttribute("cy", String(r + 1));
            circle.setAttribute("r", String(r));
            circle.setAttribute("class", "legend-circle");
            svg.appendChild(circle);
            item.appendChild(svg);
            item.appendChild(text("span", null, entry[1]));
            row.appendChild(item);
          });
          box.appendChild(row);
        });
      box.appendChild(text("strong", null, "Incidents per province"));
      var ramp = text("div", "legend-row");
      ramp.appendChild(text("span", "legend-swatch shade-low"));
      ramp.appendChild(text("span", null, "fewer"));
      ramp.appendChild(text("span", "legend-swatch shade-high"));
      ramp.appendChild(text("span", null, "more" + (most ? " (most: " + most + ")" : "")));
      box.appendChild(ramp);
      var flow = text("div", "legend-row");
      flow.appendChild(text("span", "legend-flow"));
      flow.appendChild(text("span", null, "stated flow / route"));
      box.appendChild(flow);
      return box;
    }
    // The legend sits under the map (in the figure), so it never hides the places it explains.
    var legendSlot = document.getElementById("map-legend");
    if (legendSlot) { legendSlot.appendChild(buildLegend()); }

    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.3), { maxZoom: 8 });
    }
    toggleProvinceLabels();
    var summary = document.getElementById("map-summary");
    if (summary) {
      summary.textContent = data.circles.length + " incident" + (data.circles.length === 1 ? "" : "s") +
        " on the map, " + data.arrows.length + " flow" + (data.arrows.length === 1 ? "" : "s") + ".";
    }
    el.setAttribute("data-ready", "1");
    el.setAttribute("data-incidents", String(data.circles.length));
  }).catch(function (error) {
    el.setAttribute("data-error", String(error));
    var summary = document.getElementById("map-summary");
    if (summary) { summary.textContent = "The map could not be loaded (" + error.message + ")."; }
  });
}());
