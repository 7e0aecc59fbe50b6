// Placeholder translation unit until the diff engine lands (issue 4).
namespace felisc::diff {}
