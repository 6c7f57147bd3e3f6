{
  "targets": [
    {
      "target_name": "livemig_libvirt",
      "sources": [
        "src/addon.cc",
        "src/pool.cc",
        "src/errors.cc",
        "src/typed_params.cc",
        "src/connection.cc",
        "src/domain.cc",
        "src/migration.cc",
        "src/stats.cc",
        "src/events.cc",
        "src/fault_injection.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "cflags": ["<!@(pkg-config --cflags libvirt)"],
      "libraries": ["<!@(pkg-config --libs libvirt)"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"]
    }
  ]
}
