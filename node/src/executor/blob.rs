//! Preparing a runtime blob for fast instantiation.
//!
//! A Substrate runtime *imports* its linear memory (`env.memory`). With an imported memory
//! every call must create a memory and copy the data segments into it: about 200 µs per
//! instance. [`export_memory`] rewrites the module so that it *defines* a memory of the
//! runtime's fixed size and exports it as `memory`, as Substrate's own executor does. wasmtime
//! can then pre-link the module once and initialise each instance's memory copy-on-write
//! from a prepared image, so a fresh instance costs a few microseconds.
//!
//! Only the import, memory and export sections change; every other section (code, data,
//! custom sections) is copied byte for byte, so the runtime executes exactly the same code.

use wasm_encoder::{
	EntityType, ExportKind, ExportSection, ImportSection, MemorySection, MemoryType, RawSection,
};
use wasmparser::{ExternalKind, Parser, Payload, TypeRef};

/// The module-defined memory `export_memory` gives the runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryLayout {
	/// The runtime's own initial pages (stack and data).
	pub initial_pages: u64,
	/// The pages of the memory it now defines: initial plus heap, and never more.
	pub total_pages: u64,
}

/// Rewrites `wasm` so that its imported `env.memory` becomes a defined, exported `memory` of
/// its initial pages plus `heap_pages`, fixed in size.
pub fn export_memory(wasm: &[u8], heap_pages: u64) -> Result<(Vec<u8>, MemoryLayout), String> {
	let mut module = wasm_encoder::Module::new();
	let mut layout = None;
	let mut memory_written = false;

	// The sections the memory section (id 5) must precede. In a module they come in the order
	// type 1, import 2, function 3, table 4, memory 5, then tag 13, global 6, export 7, start 8,
	// element 9, data count 12, code 10, data 11: exactly the ids 6 to 13.
	let memory_comes_before = |id: u8| (6..=13).contains(&id);

	for payload in Parser::new(0).parse_all(wasm) {
		let payload = payload.map_err(|e| format!("malformed module: {e}"))?;
		let (id, range) = match payload {
			Payload::Version { .. } | Payload::End(_) => continue,
			Payload::ImportSection(reader) => {
				let mut imports = ImportSection::new();
				for import in reader {
					let import = import.map_err(|e| format!("malformed import: {e}"))?;
					match import.ty {
						TypeRef::Func(index) => {
							imports.import(import.module, import.name, EntityType::Function(index))
						},
						TypeRef::Memory(ty)
							if (import.module, import.name) == ("env", "memory") =>
						{
							if ty.memory64 || ty.shared {
								return Err("the runtime memory must be 32-bit and unshared".into());
							}
							let total_pages = ty.initial.saturating_add(heap_pages);
							if total_pages > super::engine::MAX_WASM_PAGES {
								return Err(format!("{heap_pages} heap pages is too many"));
							}
							layout = Some(MemoryLayout { initial_pages: ty.initial, total_pages });
							continue;
						},
						other => return Err(format!("unsupported import {other:?}")),
					};
				}
				module.section(&imports);
				continue;
			},
			Payload::MemorySection(_) => {
				return Err("the runtime defines its own memory instead of importing it".into())
			},
			Payload::ExportSection(reader) => {
				write_memory(&mut module, layout, &mut memory_written)?;
				let mut exports = ExportSection::new();
				for export in reader {
					let export = export.map_err(|e| format!("malformed export: {e}"))?;
					let kind = match export.kind {
						ExternalKind::Func => ExportKind::Func,
						ExternalKind::Table => ExportKind::Table,
						ExternalKind::Memory => ExportKind::Memory,
						ExternalKind::Global => ExportKind::Global,
						ExternalKind::Tag => ExportKind::Tag,
					};
					exports.export(export.name, kind, export.index);
				}
				exports.export("memory", ExportKind::Memory, 0);
				module.section(&exports);
				continue;
			},
			Payload::CodeSectionStart { range, .. } => (10, range),
			Payload::CodeSectionEntry(_) => continue,
			other => match other.as_section() {
				Some(section) => section,
				None => continue,
			},
		};
		if memory_comes_before(id) {
			write_memory(&mut module, layout, &mut memory_written)?;
		}
		module.section(&RawSection { id, data: &wasm[range] });
	}
	let layout = layout.ok_or("the runtime imports no `env.memory`")?;
	if !memory_written {
		return Err("the runtime exports nothing".into());
	}
	Ok((module.finish(), layout))
}

/// Writes the memory section once, before the first section that must follow it.
fn write_memory(
	module: &mut wasm_encoder::Module,
	layout: Option<MemoryLayout>,
	written: &mut bool,
) -> Result<(), String> {
	if *written {
		return Ok(());
	}
	let layout = layout.ok_or("the runtime imports no `env.memory`")?;
	let mut memories = MemorySection::new();
	memories.memory(MemoryType {
		minimum: layout.total_pages,
		maximum: Some(layout.total_pages),
		memory64: false,
		shared: false,
		page_size_log2: None,
	});
	module.section(&memories);
	*written = true;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use wasm_encoder::{CodeSection, Function, FunctionSection, Instruction, TypeSection};

	/// A module importing `env.memory` (2 pages) and one host function, exporting `f`.
	fn module_with(memory_import: bool) -> Vec<u8> {
		let mut module = wasm_encoder::Module::new();
		let mut types = TypeSection::new();
		types.ty().function([], []);
		module.section(&types);
		let mut imports = ImportSection::new();
		imports.import("env", "host_fn", EntityType::Function(0));
		if memory_import {
			imports.import(
				"env",
				"memory",
				MemoryType {
					minimum: 2,
					maximum: None,
					memory64: false,
					shared: false,
					page_size_log2: None,
				},
			);
		}
		module.section(&imports);
		let mut functions = FunctionSection::new();
		functions.function(0);
		module.section(&functions);
		let mut exports = ExportSection::new();
		exports.export("f", ExportKind::Func, 1);
		module.section(&exports);
		let mut code = CodeSection::new();
		let mut body = Function::new([]);
		body.instruction(&Instruction::End);
		code.function(&body);
		module.section(&code);
		module.finish()
	}

	#[test]
	fn the_memory_import_becomes_a_fixed_exported_memory() {
		let (rewritten, layout) = export_memory(&module_with(true), 10).unwrap();
		assert_eq!(layout, MemoryLayout { initial_pages: 2, total_pages: 12 });
		wasmparser::Validator::new().validate_all(&rewritten).expect("still a valid module");

		let mut memories = Vec::new();
		let mut exports = Vec::new();
		let mut imports = Vec::new();
		for payload in Parser::new(0).parse_all(&rewritten) {
			match payload.unwrap() {
				Payload::MemorySection(r) => memories.extend(r.into_iter().map(|m| m.unwrap())),
				Payload::ExportSection(r) => {
					exports.extend(r.into_iter().map(|e| e.unwrap().name.to_string()))
				},
				Payload::ImportSection(r) => {
					imports.extend(r.into_iter().map(|i| i.unwrap().name.to_string()))
				},
				_ => {},
			}
		}
		assert_eq!(imports, vec!["host_fn"]);
		assert_eq!(exports, vec!["f", "memory"]);
		assert_eq!(memories.len(), 1);
		assert_eq!((memories[0].initial, memories[0].maximum), (12, Some(12)));
	}

	#[test]
	fn a_module_without_a_memory_import_is_refused() {
		assert!(export_memory(&module_with(false), 10).unwrap_err().contains("env.memory"));
	}

	#[test]
	fn too_many_heap_pages_are_refused() {
		assert!(export_memory(&module_with(true), 65_535).unwrap_err().contains("too many"));
	}

	#[test]
	fn garbage_is_refused() {
		assert!(export_memory(b"\0asm\x01\0\0\0\x05\xff", 1).is_err());
	}
}
