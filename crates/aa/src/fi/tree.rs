//! XML and both JSON dialects normalised into one small tree, so one reader handles them all.
//!
//! Names are lower-cased and stripped of the `_`/`@` prefixes xml2js-style converters add;
//! JSON scalars become attributes (numbers and booleans as their text), objects become child
//! elements and arrays of objects repeated children (so a lone object and a one-element array
//! read alike). The xml2js `$` attribute bag is merged into its element.

use super::FiError;
use std::collections::HashMap;

#[derive(Debug, Default, Clone)]
pub(crate) struct Node {
    pub name: String,
    pub attrs: HashMap<String, String>,
    pub children: Vec<Node>,
}

impl Node {
    /// A non-blank attribute (blank counts as missing, as the certification rules say).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

pub(crate) fn normalise_name(name: &str) -> String {
    name.trim_start_matches(['_', '@']).to_ascii_lowercase()
}

pub(crate) fn from_xml(text: &str) -> Result<Node, FiError> {
    let doc = roxmltree::Document::parse(text).map_err(|e| FiError::Xml(e.to_string()))?;
    Ok(xml_node(doc.root_element()))
}

fn xml_node(element: roxmltree::Node) -> Node {
    Node {
        // Namespaces vary between FIPs (or are missing): match on local names only.
        name: normalise_name(element.tag_name().name()),
        attrs: element
            .attributes()
            .map(|a| (normalise_name(a.name()), a.value().to_owned()))
            .collect(),
        children: element
            .children()
            .filter(|c| c.is_element())
            .map(xml_node)
            .collect(),
    }
}

pub(crate) fn from_json(value: &serde_json::Value, name: &str) -> Node {
    let mut node = Node {
        name: normalise_name(name),
        ..Node::default()
    };
    if let serde_json::Value::Object(map) = value {
        for (key, value) in map {
            add_member(&mut node, key, value);
        }
    }
    node
}

fn add_member(node: &mut Node, key: &str, value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Object(map) if key == "$" => {
            for (k, v) in map {
                if let Some(text) = scalar_text(v) {
                    node.attrs.insert(normalise_name(k), text);
                }
            }
        }
        Value::Object(_) => node.children.push(from_json(value, key)),
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Object(_) => node.children.push(from_json(item, key)),
                    // A one-element array holding a scalar (xml2js with explicitArray) is
                    // the scalar; longer scalar arrays have no meaning in the schema.
                    other if items.len() == 1 => {
                        if let Some(text) = scalar_text(other) {
                            node.attrs.insert(normalise_name(key), text);
                        }
                    }
                    _ => {}
                }
            }
        }
        other => {
            if let Some(text) = scalar_text(other) {
                node.attrs.insert(normalise_name(key), text);
            }
        }
    }
}

/// JSON numbers keep their literal digits (serde_json prints the shortest round-trip form, which
/// for the ≤15-significant-digit amounts banks send is the digits as written).
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
