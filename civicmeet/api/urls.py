from ninja import NinjaAPI

api = NinjaAPI(title="civicmeet API", version="1", urls_namespace="api")
