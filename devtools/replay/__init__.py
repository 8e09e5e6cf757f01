"""A local stand-in for the price sources: deterministic demo data and an HTTP replay server."""
