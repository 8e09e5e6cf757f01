"""`python -m rotation_radar.warehouse rebuild|rollback|history|docs` (make rebuild,
make rollback, make docs)."""

from __future__ import annotations

import argparse

from rotation_radar.warehouse import build, docs, publish


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="The published warehouse: rebuild it whole, roll back, list kept "
        "versions, docs."
    )
    parser.add_argument("command", choices=("rebuild", "rollback", "history", "docs"))
    args = parser.parse_args(argv)
    if args.command == "docs":
        with build.empty() as con:
            text = docs.catalog_markdown(con)
        docs.DOCS_PATH.parent.mkdir(exist_ok=True)
        docs.DOCS_PATH.write_text(text)
        print(f"wrote {docs.DOCS_PATH}")
    elif args.command == "rebuild":
        from rotation_radar.core import settings

        result = publish.build_and_publish(settings.load_universe(), "manual_rebuild", full=True)
        print(f"rebuilt from the whole lake and published: {result.path} (as of {result.as_of})")
    elif args.command == "history":
        for line in publish.history():
            print(line)
    else:
        published = publish.rollback()
        print(f"published again: {published} (the replaced one is kept in {publish.history_url()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
