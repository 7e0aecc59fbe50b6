/// \file
/// `Overloaded{[](const A&) {...}, [](const B&) {...}}`: one visitor out of
/// lambdas, for std::visit over the model's and the diff's variants.
#pragma once

namespace felisc {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace felisc
