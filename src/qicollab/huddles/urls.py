app_name = "huddles"

urlpatterns: list[object] = []
