use std::path::Path;
#[test]
fn scratch() {
    let api = generator::ApiConfig { name: "t", spec: "generator/tests/specs/constructs.yaml", output: "/tmp/gen/out.rs", module_path: "crate::generated", inner_type: "crate::ClientState", secret_type: "crate::Secret" };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let s = generator::generate_api(root, &api).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write("/tmp/gen/out.rs", s).unwrap();
}
