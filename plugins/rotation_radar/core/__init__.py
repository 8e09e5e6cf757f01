"""What every domain stands on: settings, the NYSE calendar, HTTP, connections, storage,
the lake's dataset registry and the data-quality runner. Imports nothing above it."""
