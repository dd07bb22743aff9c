{
  "targets": [
    {
      "target_name": "svinit",
      "sources": ["svinit.c"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
