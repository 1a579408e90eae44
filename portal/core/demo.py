from .services import communes_load


def seed_communes(write) -> None:
    created, updated = communes_load()
    write(f"Communes and wards: {created} created, {updated} already present.")
