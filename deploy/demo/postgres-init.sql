-- One database per agency (each agency's service sees only its own) and one for the registry.
CREATE DATABASE bwi;
CREATE DATABASE aura;
CREATE DATABASE accio;
CREATE DATABASE promos;
CREATE DATABASE registry;
