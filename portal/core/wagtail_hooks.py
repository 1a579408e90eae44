from wagtail import hooks

from .demo import seed_communes

hooks.register("register_demo_seeder", seed_communes, order=0)
