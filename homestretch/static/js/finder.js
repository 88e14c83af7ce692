// Finder pages: "use my location", the results map, and class times in the browser's zone.
// Data comes from json_script blocks; nothing here is inline, as the CSP requires.
(function () {
  "use strict";

  function useMyLocation() {
    var button = document.getElementById("use-location");
    var form = document.getElementById("finder-form");
    if (!button || !form || !navigator.geolocation) return;
    var status = document.getElementById("location-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = "Finding your location…";
      navigator.geolocation.getCurrentPosition(
        function (position) {
          form.elements.lat.value = position.coords.latitude.toFixed(5);
          form.elements.lng.value = position.coords.longitude.toFixed(5);
          form.elements.near.value = "";
          form.submit();
        },
        function () {
          status.textContent = "We couldn't get your location. Type a place instead.";
        },
        { timeout: 10000, maximumAge: 600000 }
      );
    });
    // Typing a place replaces coordinates from an earlier "use my location".
    form.elements.near.addEventListener("input", function () {
      form.elements.lat.value = "";
      form.elements.lng.value = "";
    });
  }

  function popup(marker) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    var place = document.createElement("div");
    place.textContent = marker.place;
    box.appendChild(link);
    box.appendChild(place);
    return box;
  }

  function resultsMap() {
    var element = document.getElementById("finder-map");
    var source = document.getElementById("finder-map-data");
    if (!element || !source || typeof window.L === "undefined") return;
    var data = JSON.parse(source.textContent);
    var map = window.L.map(element, { scrollWheelZoom: false });
    // No tile URL (offline, tests): the markers still show where the results are.
    if (data.tiles) {
      window.L.tileLayer(data.tiles, {
        maxZoom: 18,
        attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
      }).addTo(map);
    } else {
      element.classList.add("finder-map-offline");
    }
    // Set the view first, then add the markers, so none is drawn mid-animation.
    var points = [data.center].concat(data.markers.map(function (m) { return [m.lat, m.lng]; }));
    map.fitBounds(points, { padding: [48, 48], maxZoom: 13, animate: false });
    data.markers.forEach(function (marker) {
      window.L.marker([marker.lat, marker.lng], { title: marker.name, alt: marker.name })
        .bindPopup(popup(marker))
        .addTo(map);
    });
  }

  function localZoneLink() {
    var link = document.getElementById("local-tz-link");
    if (!link || !window.Intl) return;
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone) return;
    var url = new URL(window.location.href);
    url.searchParams.set("tz", zone);
    url.hash = "classes";
    link.href = url.toString();
    link.textContent = "Show the times in my time zone (" + zone + ")";
    link.hidden = false;
  }

  function start() {
    useMyLocation();
    resultsMap();
    localZoneLink();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
