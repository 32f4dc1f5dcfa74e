//! The citizen pages' words, Vietnamese first and English second: the same table for the browser
//! form (wasm) and for the pages the server renders when no script runs, so a page reads the same
//! whichever drew it.

/// The cookie that carries the language chosen (`vi` or `en`) to the server's pages.
pub const LANG_COOKIE: &str = "bvantq_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

/// Declares a closed set of user-facing strings: an enum with one variant per string and its
/// Vietnamese and English text. The form's and the console's strings are both declared with it,
/// so a string that does not exist is a compile error, never a blank on screen.
#[macro_export]
macro_rules! messages {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $variant:ident => ($vi:expr, $en:expr $(,)?), )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $variant, )+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn vi(self) -> &'static str {
                match self { $($name::$variant => $vi),+ }
            }

            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            pub fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                match lang {
                    $crate::i18n::Lang::Vi => self.vi(),
                    $crate::i18n::Lang::En => self.en(),
                }
            }
        }
    };
}

impl Lang {
    pub fn other(self) -> Self {
        if self == Lang::Vi { Lang::En } else { Lang::Vi }
    }

    /// The BCP 47 tag, as `lang` attributes want it.
    pub fn tag(self) -> &'static str {
        if self == Lang::En { "en" } else { "vi" }
    }

    /// The language a tag names (`en` is English; anything else is Vietnamese, the default).
    pub fn from_tag(tag: &str) -> Self {
        if tag.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }
}

/// The language switch names the other language in that language ("English", "Tiếng Việt"):
/// its accessible name is its visible text (WCAG 2.5.3), marked with that language's tag; what
/// it does is its title.
pub fn other_lang(lang: Lang) -> &'static str {
    lang.other().tag()
}

crate::messages! {
    /// Every string of the citizen form (tip, follow-up, pledge, unit picker).
    pub enum Msg {
        Title => ("Toàn dân bảo vệ an ninh Tổ quốc", "All people protect national security"),
        SwitchLanguage => ("Chuyển sang tiếng Anh", "Switch to Vietnamese"),
        OtherLanguage => ("English", "Tiếng Việt"),
        Provinces => ("Tỉnh, thành phố", "Provinces"),
        CommunesOf => ("Xã, phường, đặc khu của", "Communes of"),
        Search => ("Tìm kiếm (gõ không dấu cũng được)", "Search (diacritics optional)"),
        SearchPlaceholder => ("ví dụ: ba dinh", "e.g. ba dinh"),
        Loading => ("Đang tải…", "Loading…"),
        Back => ("← Danh sách tỉnh", "← All provinces"),
        NoneFound => ("Không tìm thấy đơn vị phù hợp.", "No matching unit."),
        LoadFailed => ("Không tải được dữ liệu; vui lòng thử lại.", "Could not load data; please try again."),
        Retry => ("Thử lại", "Retry"),
        Count => ("đơn vị", "units"),
        PickProvince => ("Chọn tỉnh, thành phố để xem các xã, phường.", "Pick a province to see its communes."),
        CampaignNotFound => ("Không tìm thấy đợt cam kết này. Kiểm tra lại mã hoặc liên hệ nơi phát động.", "This pledge campaign was not found. Check the code or ask whoever runs it."),
        SigningPeriod => ("Thời gian ký:", "Signing period:"),
        CampaignClosed => ("Đợt cam kết này hiện không mở để ký.", "This campaign is not open for signing now."),
        NotSaved => ("Không gửi được và điện thoại không lưu lại được cam kết này. Vui lòng thử lại khi có mạng.", "Could not send, and this phone could not keep the pledge. Please try again when online."),
        SavedWillSend => ("Đã lưu trên máy, sẽ gửi khi có mạng.", "Saved on this phone; it will be sent when the network is back."),
        FixErrors => ("Vui lòng sửa các mục được đánh dấu bên dưới.", "Please correct the marked fields below."),
        Commitments => ("Nội dung cam kết (đánh dấu đồng ý từng mục)", "Commitments (accept each one)"),
        AboutYou => ("Thông tin người ký", "About the signer"),
        UnitHousehold => ("Khu dân cư (thôn, tổ dân phố)", "Residential area"),
        UnitStudent => ("Lớp", "Class"),
        UnitWorker => ("Phòng, ban, bộ phận", "Department"),
        HeadName => ("Họ và tên chủ hộ", "Head of household's full name"),
        FullName => ("Họ và tên", "Full name"),
        BirthDate => ("Ngày sinh", "Date of birth"),
        CitizenId => ("Số CCCD", "Citizen ID (CCCD) number"),
        CitizenIdHint => ("12 chữ số; chỉ dùng để tránh ký trùng, không hiển thị công khai.", "12 digits; used only to avoid duplicates, never shown publicly."),
        PhoneOptional => ("Số điện thoại (không bắt buộc)", "Phone number (optional)"),
        Address => ("Địa chỉ hộ gia đình", "Household address"),
        Members => ("Số nhân khẩu", "Number of household members"),
        Guardian => ("Cha, mẹ hoặc người giám hộ cùng ký", "Co-signature of a parent or guardian"),
        GuardianHint => ("Học sinh dưới 18 tuổi cần cha, mẹ hoặc người giám hộ cùng ký.", "A student under 18 signs together with a parent or guardian."),
        GuardianName => ("Họ và tên người giám hộ", "Guardian's full name"),
        GuardianRelation => ("Quan hệ với học sinh (ví dụ: mẹ)", "Relation to the student (e.g. mother)"),
        GuardianPhone => ("Số điện thoại người giám hộ", "Guardian's phone number"),
        Consent => ("Tôi đồng ý để thông tin trên được dùng cho việc quản lý cam kết của phong trào, theo quy định về bảo vệ dữ liệu cá nhân.", "I agree that this information is used to manage the movement's pledges, under the rules on personal data protection."),
        Sign => ("Ký cam kết", "Sign the pledge"),
        Sending => ("Đang gửi…", "Sending…"),
        ThankYou => ("Cảm ơn! Cam kết đã được ghi nhận.", "Thank you! Your pledge is recorded."),
        AlreadySigned => ("Bạn đã ký cam kết này trước đây. Đây là biên nhận lần ký đầu.", "You already signed this pledge. Here is the receipt of the first signing."),
        NotYou => ("Không phải hộ (người) của bạn đã ký? Nếu ai đó đã ký thay cho hộ hoặc số CCCD của bạn, bạn có thể khiếu nại: cam kết của bạn được ghi nhận bên cạnh, và công an phường, xã sẽ xem xét.", "Not your household (or you) who signed? If someone signed for your household or your CCCD number, you can contest it: your pledge is recorded beside it and the ward police will review both."),
        Contest => ("Khiếu nại cam kết đã ký", "Contest the signed pledge"),
        Contested => ("Cam kết của bạn đã được ghi nhận và đang chờ công an phường, xã xem xét cùng cam kết đã ký trước.", "Your pledge is recorded and waits for the ward police to review it beside the earlier one."),
        KeptWithoutCccd => ("Cam kết chưa gửi được đã được giữ trên máy, nhưng không giữ số CCCD (trang nhúng ở trang web khác không được lưu số này). Vui lòng nhập lại số CCCD rồi bấm Ký cam kết.", "Your unsent pledge was kept on this phone, but not your CCCD number (a form embedded in another site never stores it). Please enter the CCCD number again and sign."),
        ReceiptNumber => ("Số biên nhận:", "Receipt number:"),
        VerifyQr => ("Mã QR để kiểm tra cam kết", "QR code to verify the pledge"),
        VerifyLink => ("Kiểm tra cam kết", "Verify the pledge"),
        UseLocation => ("Dùng vị trí hiện tại của tôi", "Use my current location"),
        Locating => ("Đang lấy vị trí…", "Finding your location…"),
        LocationTaken => ("Đã lấy vị trí", "Location added"),
        LocationFailed => ("Không lấy được vị trí; hãy ghi địa điểm bằng chữ.", "Could not get the location; please describe the place in words."),
        ForgetLocation => ("Bỏ vị trí", "Remove the location"),
        NavTip => ("Báo tin tố giác", "Report a crime"),
        NavFollow => ("Theo dõi tin báo", "Follow a report"),
        Choose => ("— Chọn —", "— Choose —"),
        Province => ("Tỉnh, thành phố", "Province"),
        CommuneSearch => ("Xã, phường nơi xảy ra (gõ không dấu cũng được)", "Commune where it happened (diacritics optional)"),
        CommuneChosen => ("Đã chọn:", "Chosen:"),
        TipTitle => ("Báo tin tố giác tội phạm", "Report a crime"),
        TipProtection => ("Bạn có thể báo tin mà không cần cho biết tên. Nội dung được mã hóa khi lưu trữ; hệ thống không lưu địa chỉ IP hay thông tin thiết bị của bạn; chỉ cán bộ công an phụ trách địa bàn được đọc, và mọi lần đọc đều được ghi nhật ký. Ảnh được xóa thông tin vị trí trước khi lưu.", "You can report without giving your name. The content is encrypted when stored; the system keeps no IP address or device details of yours; only the police officers in charge of the area can read it, and every reading is logged. Photos lose their location data before they are stored."),
        TipCategory => ("Loại vụ việc", "What kind of matter"),
        TipDescription => ("Sự việc xảy ra như thế nào", "What happened"),
        TipPlace => ("Địa điểm cụ thể (số nhà, đường, thôn…)", "Exact place (house number, street, village…)"),
        TipWhen => ("Thời gian xảy ra (nếu biết)", "When it happened (if known)"),
        TipDanger => ("Có người đang gặp nguy hiểm đến tính mạng", "Someone's life is in danger now"),
        IndicatorsTitle => ("Thông tin về đối tượng lừa đảo (nếu có)", "About the fraudster (if you have it)"),
        IndicatorsHint => ("Số điện thoại, số tài khoản, đường link hoặc tài khoản mạng xã hội mà đối tượng đã dùng. Không bắt buộc; giúp công an nhận ra cùng một đối tượng trong nhiều tin báo.", "Phone numbers, account numbers, links or social-media accounts the fraudster used. Optional; it helps the police recognise the same fraudster across reports."),
        IndicatorKind => ("Loại thông tin", "Kind"),
        IndicatorValue => ("Số, tài khoản hoặc đường link", "Number, account or link"),
        IndicatorNote => ("Ghi chú (ngân hàng, ứng dụng, tên hiển thị — không bắt buộc)", "Note (bank, app, displayed name — optional)"),
        IndicatorRemove => ("Xóa dòng này", "Remove this row"),
        IndicatorAdd => ("+ Thêm số, tài khoản, đường link", "+ Add a number, account or link"),
        TipPhotos => ("Ảnh (tối đa 5, không bắt buộc)", "Photos (up to 5, optional)"),
        TipLeaveContact => ("Tôi muốn để lại thông tin liên hệ (mặc định: ẩn danh)", "I want to leave contact details (default: anonymous)"),
        TipContactName => ("Họ và tên", "Full name"),
        TipContactPhone => ("Số điện thoại", "Phone number"),
        TipKeep => ("Nếu mất mạng, cho phép lưu tạm tin báo trên máy này để gửi sau (xóa ngay khi đã gửi)", "If the network fails, keep this report on this phone to send later (deleted once sent)"),
        TipSend => ("Gửi tin báo", "Send the report"),
        TipSaved => ("Chưa gửi được; tin báo được lưu tạm trên máy và sẽ gửi khi có mạng.", "Not sent yet; the report is kept on this phone and will be sent when the network is back."),
        TipNotSent => ("Chưa gửi được tin báo. Vui lòng thử lại khi có mạng.", "The report was not sent. Please try again when you are online."),
        TipReceived => ("Đã tiếp nhận tin báo. Cảm ơn bạn!", "Your report was received. Thank you!"),
        TipCodeIs => ("Mã tiếp nhận của bạn:", "Your receipt code:"),
        TipCodeOnce => ("Mã này chỉ hiện một lần. Hãy chép lại hoặc chụp màn hình: chỉ với mã này bạn mới theo dõi được tin báo và trao đổi với cán bộ.", "This code is shown only once. Copy it or take a screenshot: only with it can you follow the report and talk with the officers."),
        Copy => ("Sao chép mã", "Copy the code"),
        Copied => ("Đã sao chép", "Copied"),
        FollowLink => ("Theo dõi tin báo", "Follow the report"),
        FollowTitle => ("Theo dõi tin báo", "Follow a report"),
        FollowCode => ("Mã tiếp nhận (20 ký tự)", "Receipt code (20 characters)"),
        FollowOpen => ("Xem tình trạng", "See the status"),
        FollowThread => ("Trao đổi với cán bộ", "Messages with the officers"),
        FollowNoMessages => ("Chưa có tin nhắn.", "No messages yet."),
        FromOfficer => ("Cán bộ", "Officer"),
        FromYou => ("Bạn", "You"),
        PhotosAttached => ("ảnh đính kèm", "photo(s) attached"),
        FollowReply => ("Bổ sung thông tin, trả lời cán bộ", "Add information or reply"),
        FollowSend => ("Gửi", "Send"),
        CommunePickProvince => ("Chọn tỉnh, thành phố rồi gõ tên xã, phường nơi xảy ra.", "Choose the province, then type the commune where it happened."),
        CommuneNoMatch => ("Không có xã, phường nào tên như vậy trong tỉnh đã chọn; kiểm tra lại tên.", "No commune of that name in the chosen province; check the name."),
        CommuneChooseFromList => ("Có nhiều xã, phường khớp với tên đã gõ: chọn đúng nơi trong danh sách.", "Several communes match the name typed: choose the right one from the list."),
        CommuneFromList => ("Chọn xã, phường", "Choose the commune"),
        PhotosKept => ("ảnh đã chọn được giữ lại và sẽ gửi kèm.", "photo(s) already chosen are kept and will be sent."),
        PhotosNoScript => ("Ảnh JPEG, PNG hoặc WebP; mỗi ảnh tối đa", "JPEG, PNG or WebP; each at most"),
        ContactIfTicked => ("Họ tên và số điện thoại dưới đây chỉ được gửi khi bạn đánh dấu ô trên; nếu không, tin báo vẫn ẩn danh.", "The name and phone below are sent only if you tick the box above; otherwise the report stays anonymous."),
    }
}

/// The string `key` in `lang`.
pub fn t(lang: Lang, key: Msg) -> &'static str {
    key.text(lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_string_has_both_languages() {
        for m in Msg::ALL {
            assert!(!m.vi().trim().is_empty(), "{m:?} has no Vietnamese");
            assert!(!m.en().trim().is_empty(), "{m:?} has no English");
            assert_eq!(t(Lang::Vi, *m), m.vi());
            assert_eq!(t(Lang::En, *m), m.en());
        }
    }
}
