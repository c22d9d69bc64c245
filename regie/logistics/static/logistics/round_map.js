// The rounds on a Leaflet map: a line per van, a numbered marker per stop, the depot.
// Without a tile URL (the default) the map shows routes and stops on a plain background.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("round-map");
  const source = document.getElementById("round-map-data");
  if (!element || !source || typeof L === "undefined") return;
  const data = JSON.parse(source.textContent);
  const map = L.map(element, { attributionControl: Boolean(element.dataset.tileUrl) });
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, {
      maxZoom: 19,
      attribution: element.dataset.tileAttribution || "",
    }).addTo(map);
  }
  const bounds = [];
  if (data.depot) {
    L.circleMarker(data.depot, { radius: 9, color: "#000", fillColor: "#ffc107", fillOpacity: 1 })
      .bindTooltip("Depot")
      .addTo(map);
    bounds.push(data.depot);
  }
  for (const route of data.routes) {
    if (route.line.length > 1) {
      L.polyline(route.line, { color: route.colour, weight: 4, opacity: 0.8 }).addTo(map);
    }
    for (const stop of route.stops) {
      L.circleMarker(stop.at, { radius: 7, color: route.colour, fillColor: "#fff", fillOpacity: 1, weight: 3 })
        .bindTooltip(`${route.van}: ${stop.label}`)
        .addTo(map);
      bounds.push(stop.at);
    }
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [20, 20] });
  else map.setView([50.83, 3.26], 11);
});
