// Material for MkDocs' tab-anchor fix (partials/javascripts/content.html, MIT licence,
// (c) Martin Donath), served as a file so that the site runs without inline scripts.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"));
