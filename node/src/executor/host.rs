//! The host side of a running runtime instance.
//!
//! [`HostState`] lives in the wasmtime store of one call: the instance's memory, its heap
//! allocator and the last panic message. [`Registry`] lets `sp_io`'s host functions register
//! themselves into our linker; [`HostContext`] is what they see while they run.

use sc_allocator::FreeingBumpHeapAllocator;
use sp_wasm_interface::{FunctionContext, HostFunctionRegistry, Pointer, WordSize};
use wasmtime::{AsContextMut, Caller, IntoFunc, Linker, Memory};

/// Size of a Wasm page.
const PAGE_SIZE: usize = 64 * 1024;

/// The per-call state of an instance.
#[derive(Default)]
pub struct HostState {
	memory: Option<Memory>,
	allocator: Option<FreeingBumpHeapAllocator>,
	panic_message: Option<String>,
}

impl HostState {
	/// Prepares the state for a call on an instance whose heap starts at `heap_base`.
	pub fn start(&mut self, memory: Memory, heap_base: u32) {
		self.memory = Some(memory);
		self.allocator = Some(FreeingBumpHeapAllocator::new(heap_base));
		self.panic_message = None;
	}

	/// The panic message the runtime registered before trapping, if any.
	pub fn take_panic_message(&mut self) -> Option<String> {
		self.panic_message.take()
	}
}

/// A linear memory of fixed size, as the allocator sees it: it never grows, matching the
/// static heap every node gives the runtime.
struct FixedMemory<'a>(&'a mut [u8]);

impl sc_allocator::Memory for FixedMemory<'_> {
	fn with_access_mut<R>(&mut self, run: impl FnOnce(&mut [u8]) -> R) -> R {
		run(self.0)
	}
	fn with_access<R>(&self, run: impl FnOnce(&[u8]) -> R) -> R {
		run(self.0)
	}
	fn grow(&mut self, _additional: u32) -> Result<(), ()> {
		Err(())
	}
	fn pages(&self) -> u32 {
		(self.0.len() / PAGE_SIZE) as u32
	}
	fn max_pages(&self) -> Option<u32> {
		Some(self.pages())
	}
}

/// Allocates `size` bytes in the instance's heap.
pub fn allocate(
	mut ctx: impl AsContextMut<Data = HostState>,
	memory: Memory,
	size: WordSize,
) -> Result<u32, String> {
	let (data, state) = memory.data_and_store_mut(&mut ctx);
	let allocator = state.allocator.as_mut().ok_or("no allocator: the call has not started")?;
	allocator.allocate(&mut FixedMemory(data), size).map(u32::from).map_err(|e| e.to_string())
}

/// What a host function sees of the instance that called it.
pub struct HostContext<'a> {
	caller: Caller<'a, HostState>,
}

impl HostContext<'_> {
	fn memory(&self) -> sp_wasm_interface::Result<Memory> {
		self.caller.data().memory.ok_or_else(|| "no memory: the call has not started".into())
	}
}

impl FunctionContext for HostContext<'_> {
	fn read_memory_into(
		&mut self,
		address: Pointer<u8>,
		dest: &mut [u8],
	) -> sp_wasm_interface::Result<()> {
		let memory = self.memory()?;
		memory.read(&self.caller, u32::from(address) as usize, dest).map_err(|_| {
			format!("read of {} bytes at {} is out of bounds", dest.len(), u32::from(address))
		})
	}

	fn write_memory(&mut self, address: Pointer<u8>, data: &[u8]) -> sp_wasm_interface::Result<()> {
		let memory = self.memory()?;
		memory.write(&mut self.caller, u32::from(address) as usize, data).map_err(|_| {
			format!("write of {} bytes at {} is out of bounds", data.len(), u32::from(address))
		})
	}

	fn allocate_memory(&mut self, size: WordSize) -> sp_wasm_interface::Result<Pointer<u8>> {
		let memory = self.memory()?;
		allocate(&mut self.caller, memory, size).map(Pointer::new)
	}

	fn deallocate_memory(&mut self, ptr: Pointer<u8>) -> sp_wasm_interface::Result<()> {
		let memory = self.memory()?;
		let (data, state) = memory.data_and_store_mut(&mut self.caller);
		let allocator = state.allocator.as_mut().ok_or("no allocator: the call has not started")?;
		allocator.deallocate(&mut FixedMemory(data), ptr).map_err(|e| e.to_string())
	}

	fn register_panic_error_message(&mut self, message: &str) {
		self.caller.data_mut().panic_message = Some(message.to_string());
	}
}

/// Registers `sp_io`'s host functions into a linker, under the `env` module.
pub struct Registry<'a> {
	/// The linker the functions are defined in.
	pub linker: &'a mut Linker<HostState>,
}

impl HostFunctionRegistry for Registry<'_> {
	type State = HostState;
	type Error = wasmtime::Error;
	type FunctionContext = HostContext<'static>;

	fn with_function_context<R>(
		caller: Caller<Self::State>,
		callback: impl FnOnce(&mut dyn FunctionContext) -> R,
	) -> R {
		callback(&mut HostContext { caller })
	}

	fn register_static<Params, Results>(
		&mut self,
		fn_name: &str,
		func: impl IntoFunc<Self::State, Params, Results> + 'static,
	) -> Result<(), Self::Error> {
		self.linker.func_wrap("env", fn_name, func).map(|_| ())
	}
}
