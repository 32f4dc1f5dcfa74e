//! The shape of the code (ARCHITECTURE.md), checked: no import cycle between the API's files,
//! layers that only look down (infra imports no feature, no feature imports the composition
//! root), no handler over 60 lines, no module over 500 lines without a reason written at its top.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    bvantq_tests::process::repo_root()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let p = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `api/src/tips/routes.rs` → `tips::routes`; `…/mod.rs` → its folder; `lib.rs` → ``.
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
    {
        parts.pop();
    }
    parts.join("::")
}

/// The `crate::…` paths a file names (in `use` lines and in the code), with `{…}` groups
/// expanded one level.
fn crate_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text;
    let mut rest = bytes;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == '{'))
            .unwrap_or(rest.len());
        let path = &rest[..end];
        if let Some((head, _)) = path.split_once('{') {
            // A group: `crate::a::{b, c::d}`.
            let close = rest.find('}').unwrap_or(rest.len());
            let inner = &rest[head.len() + 1..close];
            for item in inner.split(',') {
                let item = item.trim().split(" as ").next().unwrap_or("").trim();
                let item = if item == "self" { "" } else { item };
                let full = format!("{head}{item}");
                out.push(full.trim_end_matches("::").to_string());
            }
        } else {
            out.push(path.trim_end_matches("::").to_string());
        }
    }
    out
}

/// The longest module of `modules` that `path` starts with.
fn resolve<'a>(modules: &'a BTreeSet<String>, path: &str) -> Option<&'a String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find_map(|m| modules.get(&m))
}

#[test]
fn the_api_has_no_import_cycle_and_its_layers_look_down() {
    let src = root().join("api/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        if f.ends_with("main.rs") {
            continue;
        }
        let from = module_of(&src, f);
        let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{e}"));
        let deps = graph.entry(from.clone()).or_default();
        for p in crate_paths(&text) {
            if let Some(to) = resolve(&modules, &p)
                && *to != from
                && !to.is_empty()
                // A module's own children (its `mod.rs` declaring them) is not a use of them.
                && !to.starts_with(&format!("{from}::"))
            {
                deps.insert(to.clone());
            }
        }
    }
    // Layers: infra ← auth ← units ← features ← plans ← app.
    let layer = |m: &str| -> u8 {
        match m.split("::").next().unwrap_or("") {
            "infra" => 0,
            "auth" => 1,
            "units" => 2,
            "accounts" | "pledges" | "tips" | "assessments" | "records" => 3,
            "plans" => 4,
            "app" => 5,
            _ => 6,
        }
    };
    let mut upward = Vec::new();
    for (from, tos) in &graph {
        for to in tos {
            if layer(to) > layer(from) {
                upward.push(format!("{from} → {to}"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that look up a layer:\n{}",
        upward.join("\n")
    );
    // No cycle between files (depth-first search, colouring).
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(1) => {
                let at = stack.iter().position(|s| s == n).unwrap_or(0);
                let mut cycle = stack[at..].to_vec();
                cycle.push(n.to_string());
                return Some(cycle);
            }
            Some(2) => return None,
            _ => {}
        }
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if let Some(cycle) = visit(n, &graph, &mut state, &mut Vec::new()) {
            panic!("an import cycle: {}", cycle.join(" → "));
        }
    }
    // The check sees the graph: the route table reaches every feature.
    assert!(graph["app::routes"].iter().any(|m| m.starts_with("tips::")));
}

/// The marker a long module writes at its top (its tests, at its foot, are not counted).
const LONG_REASON: &str = "Longer than 500 lines because";

/// Lines of a module's code: its `#[cfg(test)]` blocks (from the attribute to the closing brace
/// at the left margin) are not counted.
fn code_lines(text: &str) -> usize {
    let mut n = 0;
    let mut in_tests = false;
    for l in text.lines() {
        if in_tests {
            in_tests = l != "}";
        } else if l.starts_with("#[cfg(test)]") {
            in_tests = true;
        } else {
            n += 1;
        }
    }
    n
}

#[test]
fn code_lines_skip_test_blocks_wherever_they_are() {
    let text = "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn t() {}\n}\nfn b() {}\nfn c() {}";
    assert_eq!(code_lines(text), 3);
}

#[test]
fn no_module_over_500_lines_without_a_reason() {
    let mut files = Vec::new();
    for dir in [
        "api/src",
        "shared/src",
        "web-form/src",
        "web-form/console/src",
    ] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut long = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{e}"));
        let lines = code_lines(&text);
        let head: String = text.lines().take(15).collect::<Vec<_>>().join("\n");
        if lines > 500 && !head.contains(LONG_REASON) {
            long.push(format!("{} ({lines} lines)", f.display()));
        }
    }
    assert!(
        long.is_empty(),
        "modules over 500 lines with no reason at their top ({LONG_REASON} …):\n{}",
        long.join("\n")
    );
}

#[test]
fn no_handler_over_60_lines() {
    let mut files = Vec::new();
    rust_files(&root().join("api/src"), &mut files);
    let mut long = Vec::new();
    let mut handlers = 0;
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{e}"));
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let is_route = ["#[get(", "#[post(", "#[put(", "#[delete(", "#[patch("]
                .iter()
                .any(|m| l.starts_with(m));
            if !is_route {
                continue;
            }
            handlers += 1;
            let start = (i..lines.len())
                .find(|&k| lines[k].starts_with("pub async fn"))
                .unwrap_or(i);
            let end = (start..lines.len())
                .find(|&k| lines[k] == "}")
                .unwrap_or(lines.len());
            let n = end - start + 1;
            if n > 60 {
                long.push(format!("{}:{} ({n} lines)", f.display(), start + 1));
            }
        }
    }
    assert!(handlers > 60, "found only {handlers} handlers");
    assert!(
        long.is_empty(),
        "handlers over 60 lines:\n{}",
        long.join("\n")
    );
}

/// Handlers parse, make one call to their feature's service, and answer: a routes module may
/// name a store's row type, never a store module or one of its queries.
#[test]
fn handlers_call_services_not_stores() {
    let src = root().join("api/src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut routes = 0;
    let mut reaching = Vec::new();
    for f in files {
        let module = module_of(&src, &f);
        if !module.split("::").any(|p| p == "routes") || module.starts_with("app::") {
            continue;
        }
        routes += 1;
        let text = std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{e}"));
        for p in crate_paths(&text) {
            let parts: Vec<&str> = p.split("::").collect();
            let Some(at) = parts.iter().position(|s| *s == "store") else {
                continue;
            };
            let last = parts.last().copied().unwrap_or("");
            let names_a_type = parts.len() > at + 1 && last.starts_with(char::is_uppercase);
            if !names_a_type {
                reaching.push(format!("{module}: crate::{p}"));
            }
        }
    }
    assert!(routes > 10, "found only {routes} routes modules");
    assert!(
        reaching.is_empty(),
        "routes that reach a store (call the service instead):\n{}",
        reaching.join("\n")
    );
}
