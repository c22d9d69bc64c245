from regie.registry.views import home

upload = preview = home
