// Placeholder translation unit until the first emitter lands.
namespace felisc::emit {}
