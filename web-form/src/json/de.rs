//! serde over the JS values `JSON.parse` gives: what `serde-wasm-bindgen`'s deserializer does for
//! the API's JSON, with an error that carries no text. serde builds its error messages with
//! `format_args!` ("invalid type: floating point `1.5`, expected …"), and a deserializer whose
//! errors keep them links Rust's float formatting into the wasm (5.3 kB brotli of the pledge part);
//! the form never shows those messages, only that an answer could not be read.
//!
//! JSON's values only: `null`, booleans, numbers, strings, arrays and plain objects. An integer
//! is read as one when it is a safe JS integer (as `serde_json` reads `1` but `1.5` as a float),
//! an enum from its name or from an object with one key (serde's externally tagged form).

use std::fmt;

use js_sys::{Array, Number, Object};
use serde::de::{
    self, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess, VariantAccess,
    Visitor,
};
use wasm_bindgen::{JsCast, JsValue};

/// A value that is not the type asked for; deliberately without text (see the module's doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not the JSON expected")
    }
}

impl std::error::Error for Unreadable {}

impl de::Error for Unreadable {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        Unreadable
    }
}

/// One JS value to read.
pub struct Value(pub JsValue);

impl<'de> de::Deserializer<'de> for Value {
    type Error = Unreadable;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        let v = self.0;
        if v.is_null() || v.is_undefined() {
            visitor.visit_unit()
        } else if let Some(b) = v.as_bool() {
            visitor.visit_bool(b)
        } else if let Some(n) = v.as_f64() {
            if !Number::is_safe_integer(&v) {
                visitor.visit_f64(n)
            } else if n < 0.0 {
                visitor.visit_i64(n as i64)
            } else {
                visitor.visit_u64(n as u64)
            }
        } else if let Some(s) = v.as_string() {
            visitor.visit_string(s)
        } else if Array::is_array(&v) {
            visitor.visit_seq(Items {
                list: v.unchecked_into(),
                next: 0,
            })
        } else if v.is_object() {
            visitor.visit_map(Entries::of(v.unchecked_ref()))
        } else {
            Err(Unreadable)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Unreadable> {
        if self.0.is_null() || self.0.is_undefined() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        if let Some(name) = self.0.as_string() {
            return visitor.visit_enum(name.into_deserializer());
        }
        let Some(object) = self.0.dyn_ref::<Object>() else {
            return Err(Unreadable);
        };
        let entries = Object::entries(object);
        if entries.length() != 1 {
            return Err(Unreadable);
        }
        let pair: Array = entries.get(0).unchecked_into();
        let name = pair.get(0).as_string().ok_or(Unreadable)?;
        visitor.visit_enum(Tagged {
            name,
            value: pair.get(1),
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct identifier ignored_any
    }
}

/// An array's items, in order.
struct Items {
    list: Array,
    next: u32,
}

impl<'de> SeqAccess<'de> for Items {
    type Error = Unreadable;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Unreadable> {
        if self.next >= self.list.length() {
            return Ok(None);
        }
        let item = self.list.get(self.next);
        self.next += 1;
        seed.deserialize(Value(item)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.list.length() - self.next).ok()
    }
}

/// An object's own entries, key then value, in the object's order.
struct Entries {
    pairs: Array,
    next: u32,
    value: Option<JsValue>,
}

impl Entries {
    fn of(object: &Object) -> Self {
        Entries {
            pairs: Object::entries(object),
            next: 0,
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Entries {
    type Error = Unreadable;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Unreadable> {
        if self.next >= self.pairs.length() {
            return Ok(None);
        }
        let pair: Array = self.pairs.get(self.next).unchecked_into();
        self.next += 1;
        self.value = Some(pair.get(1));
        let key = pair.get(0).as_string().ok_or(Unreadable)?;
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, Unreadable> {
        let value = self.value.take().ok_or(Unreadable)?;
        seed.deserialize(Value(value))
    }

    fn size_hint(&self) -> Option<usize> {
        usize::try_from(self.pairs.length() - self.next).ok()
    }
}

/// An enum written `{"Variant": value}`.
struct Tagged {
    name: String,
    value: JsValue,
}

impl<'de> EnumAccess<'de> for Tagged {
    type Error = Unreadable;
    type Variant = Value;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Value), Unreadable> {
        let variant = seed.deserialize(self.name.into_deserializer())?;
        Ok((variant, Value(self.value)))
    }
}

impl<'de> VariantAccess<'de> for Value {
    type Error = Unreadable;

    fn unit_variant(self) -> Result<(), Unreadable> {
        if self.0.is_null() || self.0.is_undefined() {
            Ok(())
        } else {
            Err(Unreadable)
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Unreadable> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Unreadable> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}
