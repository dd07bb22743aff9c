{
  "targets": [
    {
      "target_name": "svinit",
      "sources": ["svinit.c", "spawn.c", "spawn-napi.c", "notify.c", "label.c"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
