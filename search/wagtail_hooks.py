from wagtail import hooks

from . import registry
from .engines import get_engine


@hooks.register("register_health_check")
def search_engine_health_check():
    return {"search": get_engine().check}


def index_demo_data(write) -> None:
    counts = get_engine().rebuild(registry.adapters())
    write("Discovery index: " + ", ".join(f"{name} {count}" for name, count in counts.items()))


# Last of all seeders, so everything they created is searchable.
hooks.register("register_demo_seeder", index_demo_data, order=1000)
