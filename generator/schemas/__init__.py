"""JSON Schemas for the content files, shipped as package data and published on the site."""
